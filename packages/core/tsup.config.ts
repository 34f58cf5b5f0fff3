import { packageBuild } from "../../tsup.base";

export default packageBuild({
  entry: ["src/index.ts", "src/node.ts", "src/test.ts"],
  platform: "neutral",
  external: ["node:async_hooks"],
});
