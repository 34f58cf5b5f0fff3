import { packageBuild } from "../tsup.base";

// Two entries: the runner, and the server it starts on a worker thread.
export default packageBuild({ entry: ["src/main.ts", "src/bench-server.ts"], dts: false, target: "node20", platform: "node" });
