import { packageBuild } from "../../tsup.base";

// Two entries: the programmatic API (`runCli`) and the `usagepilot` executable.
export default packageBuild({ entry: ["src/index.ts", "src/bin.ts"] });
