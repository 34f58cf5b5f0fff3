import type { UsageEvent } from "./usage-event";

const requiredCounts = ["inputTokens", "outputTokens", "cachedInputTokens", "cacheWriteInputTokens", "reasoningTokens"] as const;
const subsetsOfInput = ["cachedInputTokens", "cacheWriteInputTokens", "audioInputTokens", "imageInputTokens"] as const;
const subsetsOfOutput = ["reasoningTokens", "audioOutputTokens", "rejectedPredictionTokens"] as const;
const statuses = new Set(["ok", "error", "aborted"]);
const accuracies = new Set(["reported", "counted", "estimated"]);
const decimalPattern = /^-?\d+(\.\d+)?$/;
// What toISOString writes: recognised without Date.parse, which costs more than the rest of the checks.
const isoTimestamp = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function hasNul(value: string): boolean {
  return value.includes("\u0000");
}

/**
 * Every way `event` breaks the contract's invariants, one sentence each; empty when it keeps them all.
 * Counts are non-negative integers, subsets never exceed their totals, cost is an exact decimal string,
 * and no text holds a NUL (no database can keep one). It runs on every event, so it allocates nothing
 * unless something is wrong.
 */
export function validateUsageEvent(event: UsageEvent): string[] {
  const violations: string[] = [];
  if (event.schemaVersion !== 1) violations.push(`schemaVersion must be 1, got ${String(event.schemaVersion)}`);
  if (typeof event.id !== "string" || event.id.length === 0 || event.id.length > 100) violations.push("id must be a non-empty string of at most 100 characters");
  if (typeof event.timestamp !== "string" || (!isoTimestamp.test(event.timestamp) && Number.isNaN(Date.parse(event.timestamp)))) violations.push("timestamp must be an ISO-8601 date");
  if (typeof event.dimensions !== "object" || event.dimensions === null) violations.push("dimensions must be an object");
  else {
    for (const key in event.dimensions) {
      const value = event.dimensions[key];
      if (value !== undefined && typeof value !== "string") violations.push(`dimension "${key}" must be a string`);
      else if (value !== undefined && (hasNul(value) || hasNul(key))) violations.push(`dimension "${key.replace(/\u0000/g, "\\0")}" holds a NUL character`);
    }
  }
  for (const name of ["provider", "operation", "model", "providerRequestId"] as const) {
    const value = event[name];
    if (typeof value === "string" && hasNul(value)) violations.push(`${name} holds a NUL character`);
  }
  const usage = event.usage;
  if (usage !== null) {
    if (typeof usage !== "object") violations.push("usage must be an object or null");
    else {
      for (const key in usage) {
        const value = usage[key as keyof typeof usage];
        if (value !== undefined && !isCount(value)) violations.push(`usage.${key} must be a non-negative integer, got ${String(value)}`);
      }
      for (const key of requiredCounts) {
        if (usage[key] === undefined) violations.push(`usage.${key} must be a non-negative integer, got undefined`);
      }
      for (const key of subsetsOfInput) {
        const value = usage[key];
        if (value !== undefined && value > usage.inputTokens) violations.push(`usage.${key} (${value}) exceeds inputTokens (${usage.inputTokens})`);
      }
      if (usage.cachedInputTokens + usage.cacheWriteInputTokens > usage.inputTokens) {
        violations.push(`cache reads plus cache writes (${usage.cachedInputTokens + usage.cacheWriteInputTokens}) exceed inputTokens (${usage.inputTokens})`);
      }
      if (usage.cachedAudioInputTokens !== undefined && usage.cachedAudioInputTokens > Math.min(usage.cachedInputTokens, usage.audioInputTokens ?? usage.cachedInputTokens)) {
        violations.push(`usage.cachedAudioInputTokens (${usage.cachedAudioInputTokens}) exceeds cachedInputTokens (${usage.cachedInputTokens}) or audioInputTokens (${usage.audioInputTokens ?? "absent"})`);
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
  for (const key in event.units ?? {}) {
    const value = event.units[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) violations.push(`units.${key} must be a non-negative finite number`);
  }
  if (event.cost !== null) {
    if (typeof event.cost?.amount !== "string" || !decimalPattern.test(event.cost.amount)) violations.push("cost.amount must be a decimal string");
    if (event.cost?.currency !== "USD") violations.push("cost.currency must be USD");
  }
  if (!accuracies.has(event.accuracy)) violations.push("accuracy must be reported, counted or estimated");
  if (!statuses.has(event.status)) violations.push("status must be ok, error or aborted");
  if (!(typeof event.latencyMs === "number" && Number.isFinite(event.latencyMs) && event.latencyMs >= 0)) violations.push("latencyMs must be a non-negative number");
  return violations;
}
