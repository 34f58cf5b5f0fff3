// `pnpm --filter @usagepilot/bench bench:storage`: the storage benchmarks (ingest, query); rewrites the
// storage section of BENCHMARKS.md. Flags: --quick (small sizes, nothing written), --no-write (full sizes,
// print only), --only=ingest | --only=query.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { benchServerUrl, dropBenchDatabases } from "./bench-databases";
import { benchIngest, fullIngestSizes, type IngestResults, quickIngestSizes } from "./bench-ingest";
import { benchQuery, fullQuerySizes, type QueryResults, quickQuerySizes } from "./bench-query";
import { formatStorageMarkdown, judgeIngest } from "./format-storage-markdown";
import { writeMarkedSection } from "./write-marked-section";

const quick = process.argv.includes("--quick");
const only = process.argv.find((argument) => argument.startsWith("--only="))?.slice("--only=".length);
const write = !quick && !only && !process.argv.includes("--no-write");
const benchmarksFile = fileURLToPath(new URL("../../../BENCHMARKS.md", import.meta.url));
const benchPackage = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };

const log = (line: string) => console.error(line);
const startedAt = performance.now();
// Other work on the machine skews every rate: the section records the load the run started under.
const loadAtStart = loadavg()[0] ?? 0;

async function describeServer(): Promise<{ server: string; settings: string }> {
  const client = new pg.Client({ connectionString: benchServerUrl });
  await client.connect();
  try {
    const version = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ?? "?";
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      "SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'jit') ORDER BY name",
    );
    const shown = rows.map((row) => `${row.name} ${row.name === "shared_buffers" ? `${(Number(row.setting) * 8) / 1024} MB` : row.setting}`);
    return { server: `PostgreSQL ${version.split(" ")[0]}`, settings: `stock settings: ${shown.join(", ")}` };
  } finally {
    await client.end();
  }
}

async function describePglite(): Promise<string> {
  const pglite = new PGlite("memory://");
  try {
    const version = (await pglite.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ?? "?";
    return `PGlite ${benchPackage.dependencies["@electric-sql/pglite"]} (PostgreSQL ${version.split(" ")[0]}, WASM, in this process)`;
  } finally {
    await pglite.close();
  }
}

let ingest: IngestResults | undefined;
let query: QueryResults | undefined;
try {
  const server = await describeServer();
  const pgliteVersion = await describePglite();
  if (only !== "query") ingest = await benchIngest(quick ? quickIngestSizes : fullIngestSizes, log);
  if (only !== "ingest") query = await benchQuery(quick ? quickQuerySizes : fullQuerySizes, log);
  const markdown = formatStorageMarkdown(ingest, query, {
    node: process.version,
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    date: new Date().toISOString().slice(0, 10),
    server: server.server,
    serverSettings: server.settings,
    pglite: pgliteVersion,
    seconds: (performance.now() - startedAt) / 1000,
    loadAverage: loadAtStart,
  });
  console.log(`\n${markdown}\n`);
  for (const target of ingest ? [ingest.server, ingest.pglite] : []) {
    const judged = judgeIngest(target);
    log(
      `ingest, ${target.target}: PostgresStorage ${(judged.shareOfCopy.standard * 100).toFixed(0)}% (default batch) / ${(judged.shareOfCopy.best * 100).toFixed(0)}% (best) of raw COPY, ` +
        `${judged.timesSingle.standard.toFixed(1)}× / ${judged.timesSingle.best.toFixed(1)}× one INSERT per event`,
    );
  }
  if (query) log(`query: rollups ${query.rollups.median.toFixed(1)} ms, raw ${query.raw.median.toFixed(1)} ms (${(query.raw.median / query.rollups.median).toFixed(1)}×)`);
  log(`storage: ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
  if (write) {
    writeMarkedSection({ file: benchmarksFile, name: "storage", content: markdown, header: "# Benchmarks\n" });
    log(`wrote the storage section of ${benchmarksFile}`);
  }
  // Wrong counts mean the timings measured the wrong thing: fail loudly. Missed targets are reported, not an exit code.
  const problems = [...(ingest?.problems ?? []), ...(query?.problems ?? [])];
  for (const problem of problems) log(`problem: ${problem}`);
  if (problems.length > 0) process.exitCode = 1;
} finally {
  await dropBenchDatabases();
}
