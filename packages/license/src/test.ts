// @usagepilot/license/test: helpers for the billing packages' tests (a throwaway licence key pair, a
// deterministic usage set with independent totals, a scratch database on the test server, the setup each
// test file shares and the sync child run in its own process for the exactly-once tests).
export { testLicense } from "./test/test-license";
export { creditsPerTenant, runSyncsToCompletion, seededRandom, type SyncChildResult, tokensPerTenant, usageEvents } from "./test/billing-usage-fixtures";
export { createScratchDatabase, testServerUrl } from "./test/create-scratch-database";
export type { TestHooks } from "./test/test-hooks";
export { type Closable, useBillingTestContext } from "./test/use-billing-test-context";
export { withoutLicenseEnvironment } from "./test/without-license-environment";
export { type ExactlyOnceContextOptions, useExactlyOnceContext } from "./test/use-exactly-once-context";
export { createSyncChildRunner, type ExecFileLike, type SyncChildRunnerOptions, type SyncChildSetup } from "./test/create-sync-child-runner";
export { runSyncChild, type SyncChildContext } from "./test/run-sync-child";
