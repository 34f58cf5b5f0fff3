import { packageBuild } from "../../tsup.base";

export default packageBuild({ external: ["pg", "@electric-sql/pglite"] });
