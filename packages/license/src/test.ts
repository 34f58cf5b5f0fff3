// @usagepilot/license/test: helpers for the billing packages' tests (a throwaway licence key pair, a
// deterministic usage set with independent totals, a scratch database on the test server).
export { testLicense } from "./test/test-license";
export { creditsPerTenant, runSyncsToCompletion, seededRandom, type SyncChildResult, tokensPerTenant, usageEvents } from "./test/billing-usage-fixtures";
export { createScratchDatabase, testServerUrl } from "./test/create-scratch-database";
