import { formatUsageTable } from "./format-usage-table";
import { runDemo } from "./run-demo";

const result = await runDemo({
  onProgress(done, total) {
    process.stdout.write(`\rsimulating tenant traffic: ${done}/${total} calls`);
  },
});
process.stdout.write("\n\n");
console.log("Usage and cost per tenant (offline: a fake OpenAI-compatible server answered every call)\n");
console.log(formatUsageTable(result.rows));
const events = result.rows.reduce((sum, row) => sum + row.events, 0);
const stored = result.rows.reduce((sum, row) => sum + (row.inputTokens ?? 0) + (row.outputTokens ?? 0), 0);
console.log(`\n${events} events stored in embedded PostgreSQL (PGlite, .usagepilot/demo); ${stored.toLocaleString("en-US")} tokens metered; the provider served ${(result.served.inputTokens + result.served.outputTokens).toLocaleString("en-US")}.`);
