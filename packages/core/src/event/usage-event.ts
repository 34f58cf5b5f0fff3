/** The current version of the contract. A new version is a new file beside `usage-event-v1.ts`. */
export type {
  CostV1 as Cost,
  Dimensions,
  TokenUsageV1 as TokenUsage,
  UsageAccuracy,
  UsageEventV1 as UsageEvent,
  UsageStatus,
} from "./usage-event-v1";
