import type { IngestMethod, IngestResults, IngestRow, IngestTargetResults } from "./bench-ingest";
import type { QueryResults, QueryTiming } from "./bench-query";

/** Where the storage benchmarks ran. */
export interface StorageEnvironment {
  node: string;
  cores: number;
  cpu: string;
  date: string;
  /** `SELECT version()`-style one-liners. */
  server: string;
  serverSettings: string;
  pglite: string;
  /** Wall-clock seconds of the whole run. */
  seconds: number;
  /** The 1-minute load average when the run started (2 cores: above ~1 means other work competed). */
  loadAverage: number;
}

/** The two quality bars of ingest, for one target, at PostgresStorage's default batch and at the best batch. */
export interface IngestVerdict {
  copyRate: number;
  singleRate: number;
  standard: IngestRow;
  best: IngestRow;
  /** PostgresStorage's rate over raw COPY's, at the default and the best batch size. */
  shareOfCopy: { standard: number; best: number };
  /** PostgresStorage's rate over one INSERT per event's. */
  timesSingle: { standard: number; best: number };
  copyPass: { standard: boolean; best: boolean };
  singlePass: { standard: boolean; best: boolean };
}

/** PostgresStorage's preferred events per write (its `batchSize` default, which UsagePilot uses). */
export const defaultBatchSize = 1000;
const copyTarget = 0.8;
const singleTarget = 20;

const byRate = (rows: readonly IngestRow[]) => [...rows].sort((left, right) => right.rate - left.rate);

/** Judges one target against DESIGN.md's ingest bar (≥ 80% of raw COPY, ≥ 20× one INSERT per event). */
export function judgeIngest(target: IngestTargetResults): IngestVerdict {
  const find = (method: IngestMethod) => target.rows.filter((row) => row.method === method);
  const copyRate = find("copy")[0]?.rate ?? Number.NaN;
  const singleRate = find("single")[0]?.rate ?? Number.NaN;
  const storage = find("storage");
  const standard = storage.find((row) => row.batchSize === defaultBatchSize) ?? storage[0]!;
  const best = byRate(storage)[0]!;
  const shareOfCopy = { standard: standard.rate / copyRate, best: best.rate / copyRate };
  const timesSingle = { standard: standard.rate / singleRate, best: best.rate / singleRate };
  return {
    copyRate,
    singleRate,
    standard,
    best,
    shareOfCopy,
    timesSingle,
    copyPass: { standard: shareOfCopy.standard >= copyTarget, best: shareOfCopy.best >= copyTarget },
    singlePass: { standard: timesSingle.standard >= singleTarget, best: timesSingle.best >= singleTarget },
  };
}

const integer = (value: number) => Math.round(value).toLocaleString("en-US");
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const times = (value: number) => `${value.toFixed(1)}×`;
const verdict = (pass: boolean) => (pass ? "pass" : "**FAIL**");

const methodNames: Record<IngestMethod, string> = {
  copy: "raw `COPY … FROM STDIN` of all rows, one statement — **baseline** (no conflict handling, no rollups)",
  storage: "`PostgresStorage.write()` (today: `unnest($1::uuid[], …)` → INSERT … ON CONFLICT DO NOTHING RETURNING → rollups, one statement, through drizzle)",
  unnest: "candidate A, the same `unnest` statement on the raw driver (no drizzle): the path PostgresStorage took",
  staging: "candidate B: in one transaction, `COPY` into a temp staging table, then the same INSERT … SELECT … ON CONFLICT + rollups",
  "copy-batches": "diagnostic: `COPY` straight into `events` per batch (no conflict handling, no rollups)",
  "staging-no-rollups": "diagnostic: candidate B without the rollups (idempotent insert only)",
  single: "one parameterised `INSERT` per event, autocommit",
};

function ingestTable(target: IngestTargetResults, judged: IngestVerdict): string {
  const order: IngestMethod[] = ["copy", "storage", "unnest", "staging", "copy-batches", "staging-no-rollups", "single"];
  const lines = [
    "| write path | events per write | events | seconds | events/s | vs raw COPY | vs one INSERT per event |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const method of order) {
    for (const row of target.rows.filter((candidate) => candidate.method === method)) {
      const name = row.method === "storage" && row.batchSize === defaultBatchSize ? `${methodNames.storage} — PostgresStorage's default batch` : methodNames[row.method];
      const count =
        row.method === "single"
          ? `${integer(row.events)} (rate extrapolated)`
          : row.method === "copy"
            ? `${integer(row.events)} (mean of ${target.copyRates.length} runs: ${target.copyRates.map(integer).join(" and ")} events/s)`
            : integer(row.events);
      lines.push(
        `| ${name} | ${row.batchSize === null ? "all" : integer(row.batchSize)} | ${count} | ${row.seconds.toFixed(2)} | ${integer(row.rate)} | ${percent(row.rate / judged.copyRate)} | ${times(row.rate / judged.singleRate)} |`,
      );
    }
  }
  return lines.join("\n");
}

function verdictTable(results: IngestResults): string {
  const lines = [
    "| target | bar | baseline | PostgresStorage, batch 1000 (default) | PostgresStorage, best batch | target | result (default / best) |",
    "| --- | --- | ---: | ---: | ---: | ---: | :---: |",
  ];
  for (const target of [results.server, results.pglite]) {
    const judged = judgeIngest(target);
    const best = `${integer(judged.best.rate)}/s at ${integer(judged.best.batchSize ?? 0)}`;
    lines.push(
      `| ${target.target} | vs raw COPY | ${integer(judged.copyRate)}/s | ${integer(judged.standard.rate)}/s = ${percent(judged.shareOfCopy.standard)} | ${best} = ${percent(judged.shareOfCopy.best)} | ≥ ${percent(copyTarget)} | ${verdict(judged.copyPass.standard)} / ${verdict(judged.copyPass.best)} |`,
      `| ${target.target} | vs one INSERT per event | ${integer(judged.singleRate)}/s | ${times(judged.timesSingle.standard)} | ${times(judged.timesSingle.best)} | ≥ ${singleTarget}× | ${verdict(judged.singlePass.standard)} / ${verdict(judged.singlePass.best)} |`,
    );
  }
  return lines.join("\n");
}

/** What the diagnostics say, computed from this run's numbers so the sentence stays true. */
function whereTheTimeGoes(target: IngestTargetResults): string {
  const find = (method: IngestMethod) => target.rows.find((row) => row.method === method);
  const withRollups = target.rows.find((row) => row.method === "staging" && row.batchSize === find("staging-no-rollups")?.batchSize);
  const withoutRollups = find("staging-no-rollups");
  const batches = find("copy-batches");
  const copy = find("copy");
  if (!withRollups || !withoutRollups || !batches || !copy) return "";
  const candidates = byRate(target.rows.filter((row) => row.method === "storage" || row.method === "unnest" || row.method === "staging"));
  const top = candidates[0]!;
  return (
    `${target.target}: at ${integer(withoutRollups.batchSize ?? 0)} events per write, COPY per batch reaches ${percent(batches.rate / copy.rate)} of one big COPY, ` +
    `the idempotent insert without rollups ${percent(withoutRollups.rate / copy.rate)}, and the same with the rollups ${percent(withRollups.rate / copy.rate)} — ` +
    `keeping the rollups in the write costs ${percent(1 - withRollups.rate / withoutRollups.rate)} of the idempotent insert's rate. ` +
    `Fastest idempotent path with rollups: ${top.method === "storage" ? "PostgresStorage" : top.method === "unnest" ? "candidate A (unnest)" : "candidate B (staging COPY)"} at ${integer(top.batchSize ?? 0)} per write, ` +
    `${integer(top.rate)} events/s (${percent(top.rate / copy.rate)} of COPY).`
  );
}

function queryTimingRow(name: string, source: string, timing: QueryTiming, baseline: QueryTiming): string {
  const sorted = [...timing.runs].sort((left, right) => left - right);
  return `| ${name} | ${source} | ${timing.median.toFixed(1)} ms | ${sorted[0]!.toFixed(1)}–${sorted.at(-1)!.toFixed(1)} ms | ${times(baseline.median / timing.median)} |`;
}

/** The `storage` section of BENCHMARKS.md. */
export function formatStorageMarkdown(ingest: IngestResults | undefined, query: QueryResults | undefined, environment: StorageEnvironment): string {
  const parts: string[] = [
    "## Storage",
    "",
    `Last run ${environment.date} · Node ${environment.node} · ${environment.cores} cores (${environment.cpu}) · ${environment.server} on 127.0.0.1 (${environment.serverSettings}) · ${environment.pglite} · 1-minute load average at the start ${environment.loadAverage.toFixed(1)} · whole run ${Math.round(environment.seconds)} s.`,
    "",
    "```sh",
    "pnpm --filter @usagepilot/bench bench:storage   # builds @usagepilot/postgres and what it needs, runs, rewrites this section",
    "```",
    "",
    "`-- --quick` is a smoke run that writes nothing, `-- --no-write` runs the full sizes and only prints, `-- --only=ingest` / `--only=query` runs one half. " +
      "The server comes from `USAGEPILOT_BENCH_POSTGRES_URL` (else `USAGEPILOT_TEST_POSTGRES_URL`, else `postgres://postgres@127.0.0.1:5432/postgres`); " +
      "every database the run creates (`usagepilot_bench_*`) is dropped at the end. Code: `bench/src/bench-ingest.ts`, `bench/src/bench-query.ts`, " +
      "the candidate write paths in `bench/src/write-candidates.ts`.",
  ];
  if (ingest) {
    const span = ingest.spanMs / 3_600_000;
    parts.push(
      "",
      "### Ingest",
      "",
      `The same events for every variant: OpenAI chat events from 200 organisations × 50 users on 5 models, evenly spread over ${span === 1 ? "one busy hour" : `${span} hours`} in time order ` +
        `(so ${integer(ingest.server.rollupRows)} rollup rows for the server's ${integer(ingest.server.sizes.events)} events: ${(ingest.server.sizes.events / ingest.server.rollupRows).toFixed(1)} events per row), ` +
        "2% failed and unmeasured, 3% with a unit, 1% unpriced. Every variant writes into the same table shape — the partitioned `usagepilot.events` " +
        "(primary key `(id, ts)`, GIN on `dimensions`, BRIN on `ts`) and the rollup tables, as `PostgresStorage.migrate()` creates them — on a fresh database " +
        "(server: a new database per variant and a `CHECKPOINT` first; PGlite: a new `memory://` instance per variant) with the month's partition already made. " +
        "One connection, one write at a time, as `BatchWriter` does. The clock runs from events in memory to rows committed, so it includes encoding " +
        "(JSON, arrays or COPY text) and, for PostgresStorage and the candidates, `validateUsageEvent`. After each variant the stored rows are counted and " +
        "their input tokens summed; for every idempotent path the rollups must hold every event exactly once. " +
        "One INSERT per event runs on fewer events and its rate is extrapolated (it is flat: one round trip and one commit each).",
      "",
      verdictTable(ingest),
    );
    for (const target of [ingest.server, ingest.pglite]) {
      parts.push("", `#### ${target.target}`, "", ingestTable(target, judgeIngest(target)), "", whereTheTimeGoes(target));
    }
  }
  if (query) {
    const ratio = query.raw.median / query.rollups.median;
    parts.push(
      "",
      "### Query",
      "",
      `\`storage.query({ from, to, where: { organization_id: "${query.organization}" }, groupBy: ["user_id"] })\` over the month ${query.month}, ` +
        `with ${integer(query.eventRows)} events (200 organisations × 50 users, 5 models, evenly spread over the month; ${query.organization} has ` +
        `${integer(query.organizationEvents)} of them, in ${query.groups} groups). From whole hours PostgresStorage reads \`rollups_hourly\` ` +
        `(${integer(query.rollupRows)} rows: ${(query.eventRows / query.rollupRows).toFixed(2)} events per row) and joins \`rollup_units_hourly\`; ` +
        "with `from` 1 ms later it reads the raw events (no event sits in that millisecond, and the run checks that both answers are identical). " +
        `Loaded in SQL (\`generate_series\`) into bare tables, rollups built with one INSERT … SELECT … GROUP BY per half month, then the migration's ` +
        `keys and indexes rebuilt (checked identical) and VACUUM ANALYZE: ${query.loadSeconds.events.toFixed(0)} s + ${query.loadSeconds.rollups.toFixed(0)} s + ` +
        `${query.loadSeconds.indexes.toFixed(0)} s. One untimed run each, then ${query.sizes.runs} timed runs each, the side going first alternating; median reported.`,
      "",
      "| answer | reads | median | range | speed-up over raw |",
      "| --- | --- | ---: | ---: | ---: |",
      queryTimingRow("`PostgresStorage.query`, whole hours", "`rollups_hourly` + `rollup_units_hourly`", query.rollups, query.raw),
      queryTimingRow("`PostgresStorage.query`, `from` + 1 ms — **baseline**", "`events`", query.raw, query.raw),
      queryTimingRow("diagnostic: totals by hand with `dimensions @> '{\"organization_id\": …}'`", "`rollups_hourly` (GIN)", query.containment.rollups, query.raw),
      queryTimingRow("diagnostic: totals by hand with `dimensions @> '{\"organization_id\": …}'`", "`events` (GIN)", query.containment.raw, query.raw),
      "",
      `Rollups vs raw rows: ${query.rollups.median.toFixed(1)} ms vs ${query.raw.median.toFixed(1)} ms, ${times(ratio)} (DESIGN.md sets no bar for queries). ` +
        "PostgresStorage filters dimensions with `dimensions @> '{\"organization_id\": …}'`, which the `jsonb_path_ops` GIN indexes serve; the " +
        "hand-written `@>` rows compute the totals alone (no units, no grouping), as a floor for the same tables.",
    );
  }
  return parts.join("\n");
}
