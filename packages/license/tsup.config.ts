import { packageBuild } from "../../tsup.base";

export default packageBuild({ entry: ["src/index.ts", "src/billing-sync.ts", "src/test.ts"] });
