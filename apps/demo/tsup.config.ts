import { packageBuild } from "../../tsup.base";

export default packageBuild({ entry: ["src/main.ts"], dts: false, target: "node20", platform: "node" });
