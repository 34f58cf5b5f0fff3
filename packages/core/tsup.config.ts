import { packageBuild } from "../../tsup.base";

export default packageBuild({
  entry: { index: "src/index.ts", node: "runtime/node.ts", test: "src/test.ts" },
  platform: "neutral",
  external: ["node:async_hooks"],
});
