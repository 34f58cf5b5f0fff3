import { packageBuild } from "../../tsup.base";

export default packageBuild({
  entry: { index: "src/index.ts", node: "runtime/node.ts", test: "src/test.ts" },
  platform: "neutral",
  // fast-check is an optional peer: only `@usagepilot/core/test` (the provider conformance kit) imports it.
  external: ["node:async_hooks", "fast-check"],
});
