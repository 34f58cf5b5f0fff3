import { addDecimal, type Decimal, formatDecimal, parseDecimal } from "@usagepilot/core";
import { billingIdentifier } from "./billing-identifier";
import type { BillingProblemV1, BillingSyncReportV1, ReconcileReportV1 } from "./billing-sync-report";
import type { BillingLineV1, BillingTargetV1, LineOutcomeV1 } from "./billing-target-v1";
import { createRateLimiter } from "./create-rate-limiter";
import { decimalOf, floorDecimal, subtractDecimalText } from "./decimal-text";
import { ensureBillingSchema } from "./ensure-billing-schema";
import type { MeterDefinition } from "./meter-definition";
import { jsonObject, meterValue } from "./meter-value";
import { reconcileRows } from "./reconcile-rows";
import { retryDelay } from "./retry-delay";
import type { SqlClient, SqlQuery } from "./sql-client";
import type { StoredUsageRow } from "./stored-usage-row";

/** Options of `createBillingSync` (the billing packages fill `target`; users set the rest through them). */
export interface CreateBillingSyncOptions {
  /** The database holding `usagepilot.events` (e.g. `await storage.sqlClient()`), or a function giving it. */
  sql: SqlClient | (() => Promise<SqlClient>);
  target: BillingTargetV1;
  /** The meters, as code. */
  meters: readonly MeterDefinition[];
  /** Names this sync among others on the same target (its own watermark and ledger). Default "default". */
  syncName?: string;
  /** Reads the tenant from an event's dimensions. Default: `organization_id`, else `user_id`; null = no tenant. */
  tenant?: (dimensions: Record<string, unknown>) => string | null;
  /**
   * Finds the external id (Stripe customer, Chargebee subscription) for a tenant the mapping table does not
   * know; the answer is stored in the table. Default: none (only the table, filled with `mapTenant`).
   */
  resolveExternalId?: (tenantKey: string, dimensions: Record<string, unknown>) => string | null | undefined | Promise<string | null | undefined>;
  /** Events are summed per tenant and meter over windows of this length (ms), aligned to the epoch. Default 3,600,000 (an hour). */
  windowMs?: number;
  /**
   * How far before the watermark each run looks again for events (ms), for writes that committed out of
   * `stored_at` order; the ledger keeps them from being billed twice. Default 3,600,000.
   */
  lookbackMs?: number;
  /** Events claimed per transaction. Default 5000. */
  claimBatchSize?: number;
  /** Attempts per batch within a run before it is left for the next run. Default 8. */
  maxAttempts?: number;
  /** Backoff base and cap (ms). Defaults 250 and 30,000. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /**
   * Called after the provider accepted a batch and before that is recorded. A crash here is the case the
   * design is for: the lines stay pending and the next run re-sends them with the same identifiers.
   */
  onBatchSent?: (batch: { identifiers: readonly string[]; mode: string }) => void | Promise<void>;
  /** How long an external id found to exist is not asked about again (ms). Default 900,000 (15 minutes). */
  externalIdCheckMs?: number;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
}

/** A sync job between stored usage and one billing provider. */
/** Options of one `sync()` run. */
export interface BillingSyncRunOptions {
  /** Called after each batch the provider answered: lines sent so far this run, of the lines pending when sending began. */
  onProgress?: (progress: { sentLines: number; totalLines: number }) => void;
}

export interface BillingSync {
  /** Claims usage stored since the watermark into lines, then sends every pending line. */
  sync(options?: BillingSyncRunOptions): Promise<BillingSyncReportV1>;
  /** Provider totals against local totals per customer over [from, to) (align both to the window). */
  reconcile(range: { from: Date; to: Date }): Promise<ReconcileReportV1>;
  /** Stores tenant → external id (held lines of the tenant are sent on the next run). */
  mapTenant(tenantKey: string, externalId: string): Promise<void>;
  /** Forgets a tenant's mapping (its new lines are held as "no_customer"). */
  unmapTenant(tenantKey: string): Promise<void>;
}

interface LineRow {
  identifier: string;
  meter: string;
  tenant_key: string;
  external_id: string | null;
  occurred_at: Date | string;
  value: string | number;
  event_count: number | string;
}

const defaultTenant = (dimensions: Record<string, unknown>): string | null => {
  const value = dimensions.organization_id ?? dimensions.user_id;
  return typeof value === "string" && value !== "" ? value : null;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The shared, provider-neutral billing sync: a transactional outbox on the usage database.
 *
 * 1. Claim: in one transaction (under an advisory lock per sync), events stored since the watermark (less
 *    `lookbackMs`) that this sync has not claimed are summed per meter, tenant and window into lines. Each
 *    line gets a deterministic identifier from (sync, meter, tenant, window, sequence); a window synced
 *    before gets a new sequence number, so late events go out as their own delta. Lines, the claimed event
 *    ids and the new watermark commit together.
 * 2. Send: pending lines go to the provider in batches, with backoff that honours Retry-After and a rate
 *    limiter; each accepted batch is then marked sent. A crash between the two re-sends the same
 *    identifiers, which the provider dedupes — no unit lost, none billed twice.
 */
export function createBillingSync(options: CreateBillingSyncOptions): BillingSync {
  const target = options.target;
  const syncId = `${target.id}:${options.syncName ?? "default"}`;
  const windowMs = options.windowMs ?? 3_600_000;
  const lookbackMs = options.lookbackMs ?? 3_600_000;
  const claimBatchSize = options.claimBatchSize ?? 5000;
  const maxAttempts = options.maxAttempts ?? 8;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const tenantOf = options.tenant ?? defaultTenant;
  const now = options.now ?? (() => new Date());
  const meters = new Map(options.meters.map((meter) => [meter.name, meter]));
  const limiter = createRateLimiter(target.requestsPerSecond);
  const externalIdCheckMs = options.externalIdCheckMs ?? 900_000;
  // When each external id was last seen to exist, so a run does not ask the provider about every customer.
  const existsCheckedAt = new Map<string, number>();
  let ready: Promise<SqlClient> | undefined;

  const database = (): Promise<SqlClient> => {
    ready ??= (async () => {
      const sql = typeof options.sql === "function" ? await options.sql() : options.sql;
      await ensureBillingSchema(sql);
      return sql;
    })();
    ready.catch(() => {
      ready = undefined;
    });
    return ready;
  };

  async function externalIdFor(query: SqlQuery, cache: Map<string, string | null>, tenantKey: string, dimensions: Record<string, unknown>): Promise<string | null> {
    const known = cache.get(tenantKey);
    if (known !== undefined) return known;
    const rows = await query<{ external_id: string }>("SELECT external_id FROM usagepilot.billing_customers_v1 WHERE target = $1 AND tenant_key = $2", [target.id, tenantKey]);
    let externalId = rows[0]?.external_id ?? null;
    if (externalId === null && options.resolveExternalId) {
      externalId = (await options.resolveExternalId(tenantKey, dimensions)) ?? null;
      if (externalId !== null) {
        await query(
          `INSERT INTO usagepilot.billing_customers_v1 (target, tenant_key, external_id) VALUES ($1, $2, $3)
           ON CONFLICT (target, tenant_key) DO UPDATE SET external_id = excluded.external_id, updated_at = now()`,
          [target.id, tenantKey, externalId],
        );
      }
    }
    cache.set(tenantKey, externalId);
    return externalId;
  }

  /** Held lines whose tenant now maps (or maps anew, after a deleted customer) become pending. */
  async function releaseHeldLines(sql: SqlClient): Promise<void> {
    const held = await sql.query<{ tenant_key: string; external_id: string | null; dimensions: Record<string, unknown> | string }>(
      `SELECT DISTINCT ON (tenant_key) tenant_key, external_id, dimensions FROM usagepilot.billing_lines_v1
       WHERE sync_id = $1 AND status = 'held' AND reason IN ('no_customer', 'customer_missing') ORDER BY tenant_key`,
      [syncId],
    );
    if (held.length === 0) return;
    await sql.transaction(async (query) => {
      const cache = new Map<string, string | null>();
      for (const line of held) {
        const externalId = await externalIdFor(query, cache, line.tenant_key, jsonObject(line.dimensions));
        if (externalId !== null && externalId !== line.external_id) {
          await query(
            `UPDATE usagepilot.billing_lines_v1 SET status = 'pending', reason = NULL, message = NULL, external_id = $3
             WHERE sync_id = $1 AND tenant_key = $2 AND status = 'held' AND reason IN ('no_customer', 'customer_missing')`,
            [syncId, line.tenant_key, externalId],
          );
        }
      }
    });
  }

  /** One claim transaction; returns how many events it claimed and what it could not count. */
  async function claimOnce(sql: SqlClient, report: BillingSyncReportV1): Promise<number> {
    return sql.transaction(async (query) => {
      await query("SELECT pg_advisory_xact_lock(hashtext($1))", [syncId]);
      const state = await query<{ watermark: Date | string }>("SELECT watermark FROM usagepilot.billing_sync_state_v1 WHERE sync_id = $1", [syncId]);
      const watermark = state[0] ? new Date(state[0].watermark) : new Date(0);
      const events = await query<StoredUsageRow>(
        `SELECT e.id, e.ts, e.stored_at, e.dimensions, e.status, e.input_tokens, e.output_tokens, e.cached_input_tokens,
                e.reasoning_tokens, e.units, e.cost_usd::text AS cost_usd
         FROM usagepilot.events e
         WHERE e.stored_at >= $2
           AND NOT EXISTS (SELECT 1 FROM usagepilot.billing_line_events_v1 c WHERE c.sync_id = $1 AND c.event_id = e.id)
         ORDER BY e.stored_at, e.id
         LIMIT $3`,
        [syncId, new Date(watermark.getTime() - lookbackMs), claimBatchSize],
      );
      if (events.length === 0) return 0;

      interface Group {
        meter: MeterDefinition;
        tenantKey: string | null;
        windowStart: Date;
        occurredAt: Date;
        exact: Decimal;
        events: number;
        dimensions: Record<string, unknown>;
      }
      const groups = new Map<string, Group>();
      let newestStored = watermark;
      for (const event of events) {
        const storedAt = new Date(event.stored_at);
        if (storedAt > newestStored) newestStored = storedAt;
        const dimensions = jsonObject(event.dimensions);
        const tenantKey = tenantOf(dimensions);
        const occurredAt = new Date(event.ts);
        const windowStart = new Date(Math.floor(occurredAt.getTime() / windowMs) * windowMs);
        for (const meter of meters.values()) {
          if (meter.statuses && !meter.statuses.includes(event.status)) continue;
          const contribution = meterValue(event, meter.quantity);
          if ("unknown" in contribution) {
            if (contribution.unknown === "unmeasured") report.unmeasuredEvents += 1;
            else report.unpricedEvents += 1;
            continue;
          }
          const key = `${meter.name}\u0000${tenantKey ?? ""}\u0000${windowStart.getTime()}`;
          const group = groups.get(key);
          if (group) {
            group.exact = addDecimal(group.exact, contribution.value);
            group.events += 1;
            if (occurredAt > group.occurredAt) group.occurredAt = occurredAt;
          } else {
            groups.set(key, { meter, tenantKey, windowStart, occurredAt, exact: contribution.value, events: 1, dimensions });
          }
        }
      }

      const list = [...groups.values()].sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime());
      const meterNames = list.map((group) => group.meter.name);
      const tenantKeys = list.map((group) => group.tenantKey ?? "");
      const windows = list.map((group) => group.windowStart.toISOString());
      const seqRows = await query<{ meter: string; tenant_key: string; window_start: Date | string; next_seq: number | string }>(
        `SELECT l.meter, l.tenant_key, l.window_start, max(l.seq) + 1 AS next_seq
         FROM usagepilot.billing_lines_v1 l
         JOIN unnest($2::text[], $3::text[], $4::timestamptz[]) AS g(meter, tenant_key, window_start)
           ON l.meter = g.meter AND l.tenant_key = g.tenant_key AND l.window_start = g.window_start
         WHERE l.sync_id = $1
         GROUP BY 1, 2, 3`,
        [syncId, meterNames, tenantKeys, windows],
      );
      const nextSeq = new Map(seqRows.map((row) => [`${row.meter}\u0000${row.tenant_key}\u0000${new Date(row.window_start).getTime()}`, Number(row.next_seq)]));
      const carryRows = await query<{ meter: string; tenant_key: string; exact: string; sent: string }>(
        `SELECT meter, tenant_key, sum(exact_value)::text AS exact, sum(value)::text AS sent FROM usagepilot.billing_lines_v1
         WHERE sync_id = $1 AND status <> 'expired' AND tenant_key = ANY($2::text[]) GROUP BY 1, 2`,
        [syncId, [...new Set(tenantKeys)]],
      );
      const carry = new Map(carryRows.map((row) => [`${row.meter}\u0000${row.tenant_key}`, { exact: decimalOf(row.exact), value: decimalOf(row.sent) }]));

      const cache = new Map<string, string | null>();
      const oldest = now().getTime() - target.maxEventAgeMs + target.ageSafetyMarginMs;
      const columns = { identifier: [] as string[], meter: [] as string[], tenant: [] as string[], external: [] as (string | null)[], window: [] as string[], seq: [] as number[], occurred: [] as string[], exact: [] as string[], value: [] as string[], count: [] as number[], status: [] as string[], reason: [] as (string | null)[], dimensions: [] as string[] };
      for (const group of list) {
        const tenantKey = group.tenantKey ?? "";
        const seqKey = `${group.meter.name}\u0000${tenantKey}\u0000${group.windowStart.getTime()}`;
        const seq = nextSeq.get(seqKey) ?? 0;
        nextSeq.set(seqKey, seq + 1);
        const decimals = group.meter.decimals ?? 0;
        const tooOld = group.occurredAt.getTime() < oldest;
        let value: Decimal;
        if (tooOld) {
          value = floorDecimal(group.exact, decimals);
        } else {
          // Whole units out, the remainder carried: sent so far = floor(exact running total), always.
          const carryKey = `${group.meter.name}\u0000${tenantKey}`;
          const before = carry.get(carryKey) ?? { exact: { units: 0n, scale: 0 }, value: { units: 0n, scale: 0 } };
          const exactTotal = addDecimal(before.exact, group.exact);
          const valueTotal = floorDecimal(exactTotal, decimals);
          value = parseDecimal(subtractDecimalText(formatDecimal(valueTotal), formatDecimal(before.value)));
          carry.set(carryKey, { exact: exactTotal, value: valueTotal });
        }
        const externalId = group.tenantKey === null ? null : await externalIdFor(query, cache, tenantKey, group.dimensions);
        const [status, reason] =
          group.tenantKey === null ? ["held", "no_tenant"] : tooOld ? ["expired", "too_old"] : externalId === null ? ["held", "no_customer"] : value.units === 0n ? ["empty", null] : ["pending", null];
        columns.identifier.push(await billingIdentifier({ syncId, meter: group.meter.name, tenantKey, windowStart: group.windowStart, seq }));
        columns.meter.push(group.meter.name);
        columns.tenant.push(tenantKey);
        columns.external.push(externalId);
        columns.window.push(group.windowStart.toISOString());
        columns.seq.push(seq);
        columns.occurred.push(group.occurredAt.toISOString());
        columns.exact.push(formatDecimal(group.exact));
        columns.value.push(formatDecimal(value));
        columns.count.push(group.events);
        columns.status.push(status);
        columns.reason.push(reason);
        columns.dimensions.push(JSON.stringify(group.dimensions));
      }
      if (list.length > 0) {
        await query(
          `INSERT INTO usagepilot.billing_lines_v1 (sync_id, identifier, meter, tenant_key, external_id, window_start, seq, occurred_at,
             exact_value, value, event_count, status, reason, dimensions)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::integer[], $8::timestamptz[],
             $9::numeric[], $10::numeric[], $11::integer[], $12::text[], $13::text[], $14::jsonb[])`,
          [syncId, columns.identifier, columns.meter, columns.tenant, columns.external, columns.window, columns.seq, columns.occurred, columns.exact, columns.value, columns.count, columns.status, columns.reason, columns.dimensions],
        );
      }
      await query("INSERT INTO usagepilot.billing_line_events_v1 (sync_id, event_id) SELECT $1, unnest($2::uuid[])", [syncId, events.map((event) => event.id)]);
      await query(
        `INSERT INTO usagepilot.billing_sync_state_v1 (sync_id, watermark) VALUES ($1, $2)
         ON CONFLICT (sync_id) DO UPDATE SET watermark = GREATEST(billing_sync_state_v1.watermark, excluded.watermark), updated_at = now()`,
        [syncId, newestStored],
      );
      report.claimedEvents += events.length;
      report.createdLines += list.length;
      return events.length;
    });
  }

  async function markOutcomes(sql: SqlClient, outcomes: readonly LineOutcomeV1[]): Promise<void> {
    const sent = outcomes.filter((outcome) => outcome.status === "sent").map((outcome) => outcome.identifier);
    const rejected = outcomes.filter((outcome): outcome is Extract<LineOutcomeV1, { status: "rejected" }> => outcome.status === "rejected");
    if (sent.length === 0 && rejected.length === 0) return;
    await sql.transaction(async (query) => {
      if (sent.length > 0) {
        await query(
          `UPDATE usagepilot.billing_lines_v1 SET status = 'sent', sent_at = now(), attempts = attempts + 1
           WHERE sync_id = $1 AND identifier = ANY($2::text[]) AND status = 'pending'`,
          [syncId, sent],
        );
      }
      if (rejected.length > 0) {
        await query(
          `UPDATE usagepilot.billing_lines_v1 AS l SET status = 'rejected', reason = 'rejected', message = r.message, attempts = l.attempts + 1
           FROM unnest($2::text[], $3::text[]) AS r(identifier, message)
           WHERE l.sync_id = $1 AND l.identifier = r.identifier AND l.status = 'pending'`,
          [syncId, rejected.map((outcome) => outcome.identifier), rejected.map((outcome) => outcome.message)],
        );
      }
    });
  }

  /**
   * Sends one batch with retries. Returns false when the run should stop: the whole call keeps failing (the
   * provider is down or refuses us). Lines the provider keeps failing one by one stay pending for the next
   * run while the run goes on with the rest.
   */
  async function sendBatch(sql: SqlClient, sender: Awaited<ReturnType<BillingTargetV1["openSender"]>>, batch: BillingLineV1[], report: BillingSyncReportV1): Promise<boolean> {
    let remaining = batch;
    let wholeCallFailed = false;
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt >= maxAttempts) {
        report.failures.push(`${remaining.length} line(s) still failing after ${maxAttempts} attempts; left pending for the next run`);
        return !wholeCallFailed;
      }
      await limiter.acquire();
      let outcomes: LineOutcomeV1[];
      try {
        outcomes = await sender.send(remaining);
      } catch (error) {
        const classified = target.classifyError(error);
        report.failures.push(classified.message);
        if (!classified.retryable) return false;
        wholeCallFailed = true;
        await sleep(retryDelay({ attempt, retryAfterMs: classified.retryAfterMs, baseMs: retryBaseMs, maxMs: retryMaxMs }));
        continue;
      }
      wholeCallFailed = false;
      const settled = outcomes.filter((outcome) => outcome.status !== "retry");
      if (settled.length > 0) {
        await options.onBatchSent?.({ identifiers: settled.filter((outcome) => outcome.status === "sent").map((outcome) => outcome.identifier), mode: sender.mode });
        await markOutcomes(sql, settled);
        report.sentLines += settled.filter((outcome) => outcome.status === "sent").length;
      }
      const retry = outcomes.filter((outcome): outcome is Extract<LineOutcomeV1, { status: "retry" }> => outcome.status === "retry");
      const answered = new Set(outcomes.map((outcome) => outcome.identifier));
      // A line the provider did not mention is retried too: only an explicit answer settles it.
      const retryIds = new Set([...retry.map((outcome) => outcome.identifier), ...remaining.filter((line) => !answered.has(line.identifier)).map((line) => line.identifier)]);
      remaining = remaining.filter((line) => retryIds.has(line.identifier));
      if (remaining.length > 0) {
        for (const outcome of retry.slice(0, 3)) report.failures.push(outcome.message);
        const retryAfterMs = retry.reduce<number | undefined>((longest, outcome) => (outcome.retryAfterMs === undefined ? longest : Math.max(longest ?? 0, outcome.retryAfterMs)), undefined);
        await sleep(retryDelay({ attempt, retryAfterMs, baseMs: retryBaseMs, maxMs: retryMaxMs }));
      }
    }
    return true;
  }

  async function sendPending(sql: SqlClient, report: BillingSyncReportV1, onProgress: BillingSyncRunOptions["onProgress"]): Promise<void> {
    const oldest = new Date(now().getTime() - target.maxEventAgeMs + target.ageSafetyMarginMs);
    await sql.query(
      `UPDATE usagepilot.billing_lines_v1 SET status = 'expired', reason = 'too_old',
         message = 'waited past the provider''s timestamp limit before it could be sent'
       WHERE sync_id = $1 AND status IN ('pending', 'held') AND occurred_at < $2`,
      [syncId, oldest],
    );
    const ids = await sql.query<{ external_id: string }>("SELECT DISTINCT external_id FROM usagepilot.billing_lines_v1 WHERE sync_id = $1 AND status = 'pending'", [syncId]);
    if (ids.length === 0) return;
    const due = ids.map((row) => row.external_id).filter((id) => (existsCheckedAt.get(id) ?? Number.NEGATIVE_INFINITY) + externalIdCheckMs <= Date.now());
    if (target.findMissingExternalIds && due.length > 0) {
      const missing = await target.findMissingExternalIds(due);
      for (const id of due) if (!missing.has(id)) existsCheckedAt.set(id, Date.now());
      for (const [externalId, message] of missing) {
        await sql.query(
          `UPDATE usagepilot.billing_lines_v1 SET status = 'held', reason = 'customer_missing', message = $3
           WHERE sync_id = $1 AND status = 'pending' AND external_id = $2`,
          [syncId, externalId, message],
        );
      }
    }
    const counted = await sql.query<{ pending: number | string }>("SELECT count(*) AS pending FROM usagepilot.billing_lines_v1 WHERE sync_id = $1 AND status = 'pending'", [syncId]);
    const pending = Number(counted[0]?.pending ?? 0);
    if (pending === 0) return;
    const sender = await target.openSender(pending);
    report.mode = sender.mode;
    let after: { occurredAt: string; identifier: string } = { occurredAt: new Date(0).toISOString(), identifier: "" };
    for (;;) {
      const rows = await sql.query<LineRow>(
        `SELECT identifier, meter, tenant_key, external_id, occurred_at, value::text AS value, event_count FROM usagepilot.billing_lines_v1
         WHERE sync_id = $1 AND status = 'pending' AND (occurred_at, identifier) > ($2::timestamptz, $3::text)
         ORDER BY occurred_at, identifier LIMIT 1000`,
        [syncId, after.occurredAt, after.identifier],
      );
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      after = { occurredAt: new Date(last.occurred_at).toISOString(), identifier: last.identifier };
      const lines: BillingLineV1[] = rows.map((row) => ({
        identifier: row.identifier,
        meter: row.meter,
        tenantKey: row.tenant_key,
        externalId: row.external_id ?? "",
        occurredAt: new Date(row.occurred_at),
        value: formatDecimal(decimalOf(row.value)),
        eventCount: Number(row.event_count),
      }));
      for (let start = 0; start < lines.length; start += sender.batchSize) {
        if (!(await sendBatch(sql, sender, lines.slice(start, start + sender.batchSize), report))) return;
        onProgress?.({ sentLines: report.sentLines, totalLines: pending });
      }
    }
  }

  async function problems(sql: SqlClient): Promise<BillingProblemV1[]> {
    const rows = await sql.query<{ reason: string; tenant_key: string; external_id: string | null; meter: string; lines: number | string; events: number | string; value: string; message: string | null }>(
      `SELECT reason, tenant_key, external_id, meter, count(*) AS lines, sum(event_count) AS events, sum(value)::text AS value, max(message) AS message
       FROM usagepilot.billing_lines_v1 WHERE sync_id = $1 AND status IN ('held', 'expired', 'rejected')
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 4`,
      [syncId],
    );
    return rows.map((row) => ({
      reason: row.reason as BillingProblemV1["reason"],
      tenantKey: row.tenant_key,
      externalId: row.external_id,
      meter: row.meter,
      lines: Number(row.lines),
      events: Number(row.events),
      value: formatDecimal(decimalOf(row.value)),
      message: row.message,
    }));
  }

  return {
    async sync(runOptions = {}) {
      const sql = await database();
      const report: BillingSyncReportV1 = { claimedEvents: 0, createdLines: 0, sentLines: 0, mode: null, unmeasuredEvents: 0, unpricedEvents: 0, problems: [], pendingLines: 0, failures: [] };
      await releaseHeldLines(sql);
      while ((await claimOnce(sql, report)) === claimBatchSize) {
        // Claim in bounded transactions until a short batch says everything stored so far is claimed.
      }
      await sendPending(sql, report, runOptions.onProgress);
      report.problems = await problems(sql);
      const left = await sql.query<{ pending: number | string }>("SELECT count(*) AS pending FROM usagepilot.billing_lines_v1 WHERE sync_id = $1 AND status = 'pending'", [syncId]);
      report.pendingLines = Number(left[0]?.pending ?? 0);
      return report;
    },

    async reconcile(range) {
      const sql = await database();
      const rows = await sql.query<{ meter: string; external_id: string; tenant_keys: string[]; local: string | null; sent: string | null }>(
        `SELECT meter, external_id, array_agg(DISTINCT tenant_key) AS tenant_keys,
                sum(value) FILTER (WHERE status IN ('pending', 'sent', 'held'))::text AS local,
                sum(value) FILTER (WHERE status = 'sent')::text AS sent
         FROM usagepilot.billing_lines_v1
         WHERE sync_id = $1 AND external_id IS NOT NULL AND occurred_at >= $2 AND occurred_at < $3
         GROUP BY 1, 2`,
        [syncId, range.from, range.to],
      );
      const local = rows.map((row) => ({
        meter: row.meter,
        externalId: row.external_id,
        tenantKeys: [...row.tenant_keys].sort(),
        local: formatDecimal(decimalOf(row.local)),
        sent: formatDecimal(decimalOf(row.sent)),
      }));
      const provider = new Map<string, ReadonlyMap<string, string> | null>();
      for (const meter of meters.keys()) {
        const externalIds = local.filter((row) => row.meter === meter).map((row) => row.externalId);
        try {
          provider.set(meter, await target.providerTotals({ meter, externalIds, from: range.from, to: range.to }));
        } catch {
          provider.set(meter, null);
        }
      }
      const drift = reconcileRows({ local, provider });
      return { from: range.from, to: range.to, rows: drift, balanced: drift.every((row) => row.status === "match") };
    },

    async mapTenant(tenantKey, externalId) {
      const sql = await database();
      await sql.query(
        `INSERT INTO usagepilot.billing_customers_v1 (target, tenant_key, external_id) VALUES ($1, $2, $3)
         ON CONFLICT (target, tenant_key) DO UPDATE SET external_id = excluded.external_id, updated_at = now()`,
        [target.id, tenantKey, externalId],
      );
    },

    async unmapTenant(tenantKey) {
      const sql = await database();
      await sql.query("DELETE FROM usagepilot.billing_customers_v1 WHERE target = $1 AND tenant_key = $2", [target.id, tenantKey]);
    },
  };
}
