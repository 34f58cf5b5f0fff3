import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, numeric, pgSchema, primaryKey, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

/** Every UsagePilot table lives in its own Postgres schema, out of the application's way. */
export const usagepilotSchema = pgSchema("usagepilot");

/**
 * The append-only ledger: one row per event, partitioned by month on `ts` (the migration adds
 * PARTITION BY, which drizzle-kit cannot express). The key includes the partition key, as Postgres
 * requires; the id is a UUIDv7 made from the same instant.
 */
export const events = usagepilotSchema.table(
  "events",
  {
    id: uuid("id").notNull(),
    ts: timestamp("ts", { withTimezone: true, precision: 3 }).notNull(),
    schemaVersion: smallint("schema_version").notNull(),
    dimensions: jsonb("dimensions").notNull(),
    provider: text("provider").notNull(),
    operation: text("operation").notNull(),
    model: text("model"),
    // NULL = not measured; never 0.
    inputTokens: bigint("input_tokens", { mode: "number" }),
    outputTokens: bigint("output_tokens", { mode: "number" }),
    cachedInputTokens: bigint("cached_input_tokens", { mode: "number" }),
    cacheWriteInputTokens: bigint("cache_write_input_tokens", { mode: "number" }),
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }),
    /** Further subsets (audio, image, 1h cache writes...) as the provider reported them. */
    usageDetails: jsonb("usage_details"),
    units: jsonb("units").notNull(),
    costUsd: numeric("cost_usd"),
    priceSource: text("price_source"),
    accuracy: text("accuracy").notNull(),
    status: text("status").notNull(),
    streamed: boolean("streamed").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    providerRequestId: text("provider_request_id"),
    storedAt: timestamp("stored_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.id, table.ts] }),
    index("events_dimensions_idx").using("gin", sql`${table.dimensions} jsonb_path_ops`),
    index("events_ts_idx").using("brin", table.ts),
    check("events_counts_check", sql`${table.inputTokens} >= 0 AND ${table.outputTokens} >= 0 AND ${table.cachedInputTokens} >= 0 AND ${table.cacheWriteInputTokens} >= 0 AND ${table.reasoningTokens} >= 0`),
    check("events_subsets_check", sql`${table.cachedInputTokens} + ${table.cacheWriteInputTokens} <= ${table.inputTokens} AND ${table.reasoningTokens} <= ${table.outputTokens}`),
    check("events_usage_all_or_none_check", sql`num_nulls(${table.inputTokens}, ${table.outputTokens}, ${table.cachedInputTokens}, ${table.cacheWriteInputTokens}, ${table.reasoningTokens}) IN (0, 5)`),
  ],
);

/**
 * Hourly sums per dimension set, provider, operation, model and status, kept in the same statement as
 * the insert for the rows actually inserted. `dimensions_hash` (md5 of the canonical JSONB text) keys
 * the dimension set, so long values never hit btree limits.
 */
export const rollupsHourly = usagepilotSchema.table(
  "rollups_hourly",
  {
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    dimensionsHash: text("dimensions_hash").notNull(),
    dimensions: jsonb("dimensions").notNull(),
    provider: text("provider").notNull(),
    operation: text("operation").notNull(),
    model: text("model"),
    status: text("status").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
    unmeasuredEvents: bigint("unmeasured_events", { mode: "number" }).notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }),
    outputTokens: bigint("output_tokens", { mode: "number" }),
    cachedInputTokens: bigint("cached_input_tokens", { mode: "number" }),
    cacheWriteInputTokens: bigint("cache_write_input_tokens", { mode: "number" }),
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }),
    costUsd: numeric("cost_usd"),
    unpricedEvents: bigint("unpriced_events", { mode: "number" }).notNull(),
  },
  (table) => [
    unique("rollups_hourly_key").on(table.hour, table.dimensionsHash, table.provider, table.operation, table.model, table.status).nullsNotDistinct(),
    index("rollups_hourly_dimensions_idx").using("gin", sql`${table.dimensions} jsonb_path_ops`),
    index("rollups_hourly_hour_idx").on(table.hour),
  ],
);

/** Hourly sums of units (images, web searches, GPU hours...), keyed like `rollups_hourly`. */
export const rollupUnitsHourly = usagepilotSchema.table(
  "rollup_units_hourly",
  {
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    dimensionsHash: text("dimensions_hash").notNull(),
    provider: text("provider").notNull(),
    operation: text("operation").notNull(),
    model: text("model"),
    status: text("status").notNull(),
    unit: text("unit").notNull(),
    quantity: numeric("quantity").notNull(),
  },
  (table) => [unique("rollup_units_hourly_key").on(table.hour, table.dimensionsHash, table.provider, table.operation, table.model, table.status, table.unit).nullsNotDistinct()],
);
