// The public API of @usagepilot/core. Runtime-agnostic: Web APIs only.
export type { CostV1, Dimensions, TokenUsageV1, UsageAccuracy, UsageEventV1, UsageStatus } from "./event/usage-event-v1";
export type { Cost, TokenUsage, UsageEvent } from "./event/usage-event";
export { createEventId, eventIdTime } from "./event/create-event-id";
export { validateUsageEvent } from "./event/validate-usage-event";
export { clampUsageSubsets } from "./event/clamp-usage-subsets";

export { UsagePilot, type TrackOptions, type UsagePilotOptions, type UsagePilotStats } from "./usage-pilot";
export type { LimitMax, LimitRule, LimitWindow } from "./limits/limit-rule";
export type { LimitMetric } from "./limits/limit-metric";
export type { LimitsOptions } from "./limits/limits-options";
export type { LimitMetricStatus, LimitStatus } from "./limits/limit-status";
export type { LimitThresholdAlert } from "./limits/limit-threshold-alert";
export type { UsageLimits } from "./limits/usage-limits";
export type { MaybePromise, QuotaCounterStateV1, QuotaCounterV1, QuotaCrossingV1, QuotaEntryV1, QuotaReserveResultV1, QuotaStoreV1 } from "./limits/quota-store-v1";
export { MemoryQuotaStore } from "./limits/memory-quota-store";
export { quotaBuckets, type QuotaBucketsV1 } from "./limits/quota-buckets";
export { calendarWindow, type CalendarWindow } from "./limits/calendar-window";
export { nanosToUsd, usdToNanos } from "./limits/usd-nanos";
export type { CreateFetchOptions, FetchFunction, MeteredRequest } from "./fetch/create-metered-fetch";
export { UNATTRIBUTED, type DimensionsInput } from "./dimensions/resolve-dimensions";
export { registerAsyncLocalStorage } from "./context/dimension-context";

export type {
  BodyEnd,
  ObservationV1,
  ProviderAdapterV1,
  ProviderCallV1,
  ProviderRequestV1,
  PartialOutputV1,
  ReportedInputV1,
  ProviderResponseV1,
  OutputTokensV1,
  RequestBodyV1,
  ResponseObserverV1,
} from "./provider/provider-adapter-v1";
export type { TokenCount, TokenizerInput, TokenizerMessage, TokenizerV1 } from "./tokenizer/tokenizer-v1";
export { estimateCutUsage } from "./tokenizer/estimate-cut-usage";
export { createJsonObserver } from "./provider/create-json-observer";
export { createSseObserver } from "./provider/create-sse-observer";
export { createSseReader, type SseMessage, type SseReader } from "./stream/create-sse-reader";
export { safeParseJson, type ParseResult } from "./util/safe-parse-json";
export { readCounts, type Counts } from "./util/read-counts";
export { readField, readPositiveInteger, readString } from "./util/read-field";
export { createBoundedMemo, type BoundedMemo } from "./util/bounded-memo";

export { BatchWriter, type BatchWriterOptions, type BatchWriterStats } from "./batch/batch-writer";
export type { SpoolV1 } from "./spool/spool-v1";
export type { UsageStorage } from "./storage/usage-storage";
export type { QueryField, QueryGranularity, UsageQuery, UsageQueryRow } from "./storage/usage-query";
export { MemoryStorage } from "./storage/memory-storage";
export { aggregateEvents, bucketStart, compareQueryRows, matchesQuery } from "./storage/aggregate-events";

export type { PriceableEvent, PriceBookV1 } from "./price/price-book";
export { createPriceTable, type ModelPrice } from "./price/create-price-table";
export { addDecimal, formatDecimal, multiplyDecimal, parseDecimal, powerOfTen, scaleDecimal, sumDecimalStrings, type Decimal } from "./price/decimal";

export type { AlertKind, AlertV1 } from "./alerts/alert-v1";
export { createAnomalyDetector, type AnomalyDetector, type AnomalyDetectorOptions, type AnomalyMetric } from "./alerts/anomaly-detector";
export { createAlertDispatcher, type AlertDispatcher, type AlertDispatcherOptions } from "./alerts/create-alert-dispatcher";
export { slackPayload } from "./alerts/slack-payload";
export type { AlertsOptions } from "./alerts/alerts-options";
export { thresholdAlert } from "./alerts/threshold-alert";

export { UsagePilotError } from "./errors/usagepilot-error";
export { AlertDeliveryError } from "./errors/alert-delivery-error";
export { AsyncContextUnavailableError } from "./errors/async-context-unavailable-error";
export { BufferFullError } from "./errors/buffer-full-error";
export { FlushTimeoutError } from "./errors/flush-timeout-error";
export { InvalidDimensionsError } from "./errors/invalid-dimensions-error";
export { InvalidUsageEventError } from "./errors/invalid-usage-event-error";
export { MeteringError } from "./errors/metering-error";
export { MissingDimensionError } from "./errors/missing-dimension-error";
export { QuotaExceededError } from "./errors/quota-exceeded-error";
export { QuotaStoreError } from "./errors/quota-store-error";
export { StorageError } from "./errors/storage-error";
export { UnknownPriceError } from "./errors/unknown-price-error";
export { WriterStoppedError } from "./errors/writer-stopped-error";
