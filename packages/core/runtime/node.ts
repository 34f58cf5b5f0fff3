// The `node` export condition (Node, Bun, Deno): core plus AsyncLocalStorage for `withDimensions`.
// This leaf is the only place a platform module is imported.
import { AsyncLocalStorage } from "node:async_hooks";
import { registerAsyncLocalStorage } from "../src/context/dimension-context";

registerAsyncLocalStorage(AsyncLocalStorage);

export * from "../src/index";
