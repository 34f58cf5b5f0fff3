import type { SqlClient } from "./sql-client";

// "usagepilot billing" as a 32-bit number: serialises the DDL when several sync processes start together.
const schemaLockKey = 0x75_62_69_6c;

/**
 * The billing tables, created if absent, in the `usagepilot` schema beside the events (so a send and its
 * record share one database and one transaction discipline). They belong to the commercial packages, so
 * they are not part of `@usagepilot/postgres`'s migrations; a change of shape is a new table version.
 *
 * - `billing_customers_v1`: tenant → external id (Stripe customer, Chargebee subscription) per target.
 * - `billing_sync_state_v1`: the watermark (largest `stored_at` claimed) per sync.
 * - `billing_lines_v1`: the outbox: one row per value to send, with its deterministic identifier.
 * - `billing_line_events_v1`: the events each sync has claimed into lines (an event is billed once per sync).
 */
export const billingSchemaStatements: readonly string[] = [
  `CREATE SCHEMA IF NOT EXISTS usagepilot`,
  `CREATE TABLE IF NOT EXISTS usagepilot.billing_customers_v1 (
    target text NOT NULL,
    tenant_key text NOT NULL,
    external_id text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (target, tenant_key))`,
  `CREATE TABLE IF NOT EXISTS usagepilot.billing_sync_state_v1 (
    sync_id text PRIMARY KEY,
    watermark timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS usagepilot.billing_lines_v1 (
    sync_id text NOT NULL,
    identifier text NOT NULL,
    meter text NOT NULL,
    tenant_key text NOT NULL,
    external_id text,
    window_start timestamptz NOT NULL,
    seq integer NOT NULL,
    occurred_at timestamptz NOT NULL,
    exact_value numeric NOT NULL,
    value numeric NOT NULL,
    event_count integer NOT NULL,
    status text NOT NULL,
    reason text,
    message text,
    dimensions jsonb NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    PRIMARY KEY (sync_id, identifier),
    UNIQUE (sync_id, meter, tenant_key, window_start, seq))`,
  `CREATE INDEX IF NOT EXISTS billing_lines_v1_status_idx ON usagepilot.billing_lines_v1 (sync_id, status)`,
  `CREATE INDEX IF NOT EXISTS billing_lines_v1_occurred_idx ON usagepilot.billing_lines_v1 (sync_id, occurred_at)`,
  `CREATE TABLE IF NOT EXISTS usagepilot.billing_line_events_v1 (
    sync_id text NOT NULL,
    event_id uuid NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sync_id, event_id))`,
];

/** Creates the billing tables when they are missing (safe to run from several processes at once). */
export async function ensureBillingSchema(sql: SqlClient): Promise<void> {
  await sql.transaction(async (query) => {
    await query("SELECT pg_advisory_xact_lock($1)", [schemaLockKey]);
    for (const statement of billingSchemaStatements) await query(statement);
  });
}
