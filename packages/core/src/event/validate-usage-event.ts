import type { UsageEvent } from "./usage-event";

const requiredCounts = ["inputTokens", "outputTokens", "cachedInputTokens", "cacheWriteInputTokens", "reasoningTokens"] as const;
const subsetsOfInput = ["cachedInputTokens", "cacheWriteInputTokens", "audioInputTokens", "imageInputTokens"] as const;
const subsetsOfOutput = ["reasoningTokens", "audioOutputTokens", "rejectedPredictionTokens"] as const;
const decimalPattern = /^-?\d+(\.\d+)?$/;

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Every way `event` breaks the contract's invariants, one sentence each; empty when it keeps them all.
 * Counts are non-negative integers, subsets never exceed their totals, cost is an exact decimal string.
 */
export function validateUsageEvent(event: UsageEvent): string[] {
  const violations: string[] = [];
  if (event.schemaVersion !== 1) violations.push(`schemaVersion must be 1, got ${String(event.schemaVersion)}`);
  if (typeof event.id !== "string" || event.id.length === 0 || event.id.length > 100) violations.push("id must be a non-empty string of at most 100 characters");
  if (typeof event.timestamp !== "string" || Number.isNaN(Date.parse(event.timestamp))) violations.push("timestamp must be an ISO-8601 date");
  if (typeof event.dimensions !== "object" || event.dimensions === null) violations.push("dimensions must be an object");
  else {
    for (const [key, value] of Object.entries(event.dimensions)) {
      if (value !== undefined && typeof value !== "string") violations.push(`dimension "${key}" must be a string`);
    }
  }
  const usage = event.usage;
  if (usage !== null) {
    if (typeof usage !== "object") violations.push("usage must be an object or null");
    else {
      for (const key of requiredCounts) {
        if (!isCount(usage[key])) violations.push(`usage.${key} must be a non-negative integer, got ${String(usage[key])}`);
      }
      for (const [key, value] of Object.entries(usage)) {
        if ((requiredCounts as readonly string[]).includes(key)) continue;
        if (value !== undefined && !isCount(value)) violations.push(`usage.${key} must be a non-negative integer, got ${String(value)}`);
      }
      for (const key of subsetsOfInput) {
        const value = usage[key];
        if (value !== undefined && value > usage.inputTokens) violations.push(`usage.${key} (${value}) exceeds inputTokens (${usage.inputTokens})`);
      }
      if (usage.cachedInputTokens + usage.cacheWriteInputTokens > usage.inputTokens) {
        violations.push(`cache reads plus cache writes (${usage.cachedInputTokens + usage.cacheWriteInputTokens}) exceed inputTokens (${usage.inputTokens})`);
      }
      if (usage.cacheWrite1hInputTokens !== undefined && usage.cacheWrite1hInputTokens > usage.cacheWriteInputTokens) {
        violations.push(`usage.cacheWrite1hInputTokens (${usage.cacheWrite1hInputTokens}) exceeds cacheWriteInputTokens (${usage.cacheWriteInputTokens})`);
      }
      for (const key of subsetsOfOutput) {
        const value = usage[key];
        if (value !== undefined && value > usage.outputTokens) violations.push(`usage.${key} (${value}) exceeds outputTokens (${usage.outputTokens})`);
      }
    }
  }
  for (const [key, value] of Object.entries(event.units ?? {})) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) violations.push(`units.${key} must be a non-negative finite number`);
  }
  if (event.cost !== null) {
    if (typeof event.cost?.amount !== "string" || !decimalPattern.test(event.cost.amount)) violations.push("cost.amount must be a decimal string");
    if (event.cost?.currency !== "USD") violations.push("cost.currency must be USD");
  }
  if (!["reported", "counted", "estimated"].includes(event.accuracy)) violations.push(`accuracy must be reported, counted or estimated`);
  if (!["ok", "error", "aborted"].includes(event.status)) violations.push(`status must be ok, error or aborted`);
  if (!(typeof event.latencyMs === "number" && Number.isFinite(event.latencyMs) && event.latencyMs >= 0)) violations.push("latencyMs must be a non-negative number");
  return violations;
}
