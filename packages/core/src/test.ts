// Test helpers for UsagePilot and its adapters: `@usagepilot/core/test`.
export { collectBytes } from "./test/collect-stream";
export { createTestEvent, testTokens } from "./test/create-test-event";
export { arbitraryConformanceQuery, conformanceEvents, conformanceQueries, describeStorageConformance, type ConformanceRunner, type StorageConformanceOptions } from "./test/storage-conformance";
export { createReplayFetch, type ReplayResponse } from "./test/create-replay-fetch";
export { splitBytes } from "./test/split-bytes";
export { streamFromChunks } from "./test/stream-from-chunks";
export { findEventBoundaries } from "./test/find-event-boundaries";
export { describeProviderConformance, type ProviderConformanceCase, type ProviderConformanceOptions } from "./test/provider-conformance";
export { createMeteringHarness, measuredBy, type HarnessDimensions, type MeteringHarness } from "./test/create-metering-harness";
