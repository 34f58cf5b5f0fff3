import { packageBuild } from "../tsup.base";

// The runner, the servers it starts on worker threads (the fake provider, the peers' telemetry sink),
// and the child process of the memory benchmark.
export default packageBuild({ entry: ["src/main.ts", "src/bench-server.ts", "src/telemetry-sink.ts", "src/bench-memory-child.ts"], dts: false, target: "node20", platform: "node" });
