import { aggregateEvents, type UsageEvent, type UsageQuery, type UsageStorage } from "@usagepilot/core";
import pg from "pg";
import { expect } from "vitest";

const hour = 3_600_000;

/** Runs `work` on one short-lived connection to `url`. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** What the ledger holds, read straight from the table (not through the storage under test). */
export async function storedTotals(url: string): Promise<{ rows: number; ids: number; inputTokens: number }> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ rows: string; ids: string; input_tokens: string | null }>(
      "SELECT count(*) AS rows, count(DISTINCT id) AS ids, sum(input_tokens) AS input_tokens FROM usagepilot.events",
    );
    const row = rows[0]!;
    return { rows: Number(row.rows), ids: Number(row.ids), inputTokens: Number(row.input_tokens ?? 0) };
  });
}

/** The same totals computed from the events that were recorded, each counted once. */
export function expectedTotals(events: readonly UsageEvent[]): { rows: number; ids: number; inputTokens: number } {
  const unique = uniqueEvents(events);
  return { rows: unique.length, ids: unique.length, inputTokens: unique.reduce((sum, event) => sum + (event.usage?.inputTokens ?? 0), 0) };
}

/** One copy of each event id, first seen wins. */
export function uniqueEvents(events: readonly UsageEvent[]): UsageEvent[] {
  const byId = new Map<string, UsageEvent>();
  for (const event of events) if (!byId.has(event.id)) byId.set(event.id, event);
  return [...byId.values()];
}

/** Queries on whole hours around `events` (so `PostgresStorage` answers from its rollups), in several shapes. */
export function wholeHourQueries(events: readonly UsageEvent[]): UsageQuery[] {
  const times = events.map((event) => Date.parse(event.timestamp));
  const from = new Date(Math.floor(Math.min(...times) / hour) * hour - hour);
  const to = new Date(Math.floor(Math.max(...times) / hour) * hour + 2 * hour);
  return [
    { from, to },
    { from, to, groupBy: ["organization_id", "user_id"] },
    { from, to, groupBy: ["provider", "model", "status"], granularity: "hour" },
    { from, to, groupBy: ["feature"], granularity: "day" },
  ];
}

/**
 * Asserts the ledger holds each recorded event exactly once and that the rollups (whole-hour queries)
 * equal the reference aggregation over the unique events.
 */
export async function expectStoredExactlyOnce(storage: UsageStorage, url: string, events: readonly UsageEvent[]): Promise<void> {
  expect(await storedTotals(url)).toEqual(expectedTotals(events));
  const unique = uniqueEvents(events);
  for (const query of wholeHourQueries(unique)) {
    expect(await storage.query!(query)).toEqual(aggregateEvents(unique, query));
  }
}

/** Waits until `condition` holds, checking every `intervalMs`; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, options: { timeoutMs: number; intervalMs?: number; what: string }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    await sleep(options.intervalMs ?? 20);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
