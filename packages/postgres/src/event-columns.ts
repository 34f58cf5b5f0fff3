import type { UsageEvent } from "@usagepilot/core";

/** The columns of `usagepilot.events` a writer fills (`stored_at` keeps its default), with their SQL types. */
export const eventColumns = [
  { name: "id", type: "uuid" },
  { name: "ts", type: "timestamptz" },
  { name: "schema_version", type: "smallint" },
  { name: "dimensions", type: "jsonb" },
  { name: "provider", type: "text" },
  { name: "operation", type: "text" },
  { name: "model", type: "text" },
  { name: "input_tokens", type: "bigint" },
  { name: "output_tokens", type: "bigint" },
  { name: "cached_input_tokens", type: "bigint" },
  { name: "cache_write_input_tokens", type: "bigint" },
  { name: "reasoning_tokens", type: "bigint" },
  { name: "usage_details", type: "jsonb" },
  { name: "units", type: "jsonb" },
  { name: "cost_usd", type: "numeric" },
  { name: "price_source", type: "text" },
  { name: "accuracy", type: "text" },
  { name: "status", type: "text" },
  { name: "streamed", type: "boolean" },
  { name: "latency_ms", type: "integer" },
  { name: "provider_request_id", type: "text" },
] as const;

/** One value per column of `eventColumns`: text, numbers, booleans or null (JSON columns as JSON text). */
export type EventRow = (string | number | boolean | null)[];

const coreCounts = new Set(["inputTokens", "outputTokens", "cachedInputTokens", "cacheWriteInputTokens", "reasoningTokens"]);

/**
 * An event as the row stored for it, column by column. NULL where usage was not measured (never 0); the
 * cost stays a decimal string, cast to NUMERIC by Postgres, never a float on the way.
 */
export function toEventRow(event: UsageEvent): EventRow {
  const usage = event.usage;
  const details = usage ? Object.fromEntries(Object.entries(usage).filter(([key, value]) => !coreCounts.has(key) && value !== undefined)) : {};
  return [
    event.id,
    event.timestamp,
    event.schemaVersion,
    JSON.stringify(event.dimensions),
    event.provider,
    event.operation,
    event.model,
    usage?.inputTokens ?? null,
    usage?.outputTokens ?? null,
    usage?.cachedInputTokens ?? null,
    usage?.cacheWriteInputTokens ?? null,
    usage?.reasoningTokens ?? null,
    Object.keys(details).length > 0 ? JSON.stringify(details) : null,
    JSON.stringify(event.units),
    event.cost?.amount ?? null,
    event.cost?.priceSource ?? null,
    event.accuracy,
    event.status,
    event.streamed,
    Math.round(event.latencyMs),
    event.providerRequestId,
  ];
}
