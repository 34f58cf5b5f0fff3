// Runs every package's tests in one vitest run and ends with the line CI reads: "N passed, N failed".
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The real PostgreSQL the storage suites need: the machine's own unless told otherwise. A suite that
// cannot reach it fails; it is never skipped.
process.env.USAGEPILOT_TEST_POSTGRES_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";

// Build and type-check first (tests import built packages; vitest does not type-check).
const build = spawnSync("npx", ["turbo", "run", "build", "typecheck", "--output-logs=errors-only"], { stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } });
if (build.status !== 0) {
  console.error("Build or type-check failed.");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const report = join(mkdtempSync(join(tmpdir(), "usagepilot-tests-")), "report.json");
const run = spawnSync("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  stdio: "inherit",
});

let passed = 0;
let failed = 0;
try {
  const result = JSON.parse(readFileSync(report, "utf8"));
  passed = result.numPassedTests;
  // Files that failed to load count as failures too, so a broken suite can never look green.
  failed = result.numFailedTests + result.testResults.filter((file) => file.status === "failed" && file.assertionResults.length === 0).length;
  const skipped = result.numPendingTests + result.numTodoTests;
  if (skipped > 0) {
    console.error(`${skipped} test(s) were skipped; skipped tests are not allowed.`);
    failed += skipped;
  }
} catch (error) {
  console.error("No test report was produced:", error.message);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
