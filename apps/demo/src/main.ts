import { formatUsageTable } from "./format-usage-table";
import { runDemo } from "./run-demo";

const once = process.argv.includes("--once") || process.env.CI !== undefined;
// A real provider when its key is set (the first of OpenAI, Anthropic, Gemini found), else the fake server.
const real = process.env.OPENAI_API_KEY
  ? { provider: "openai" as const, apiKey: process.env.OPENAI_API_KEY, name: "OpenAI (OPENAI_API_KEY)" }
  : process.env.ANTHROPIC_API_KEY
    ? { provider: "anthropic" as const, apiKey: process.env.ANTHROPIC_API_KEY, name: "Anthropic (ANTHROPIC_API_KEY)" }
    : process.env.GOOGLE_GENERATIVE_AI_API_KEY || process.env.GEMINI_API_KEY
      ? { provider: "google" as const, apiKey: (process.env.GOOGLE_GENERATIVE_AI_API_KEY ?? process.env.GEMINI_API_KEY)!, name: "Gemini (GEMINI_API_KEY)" }
      : undefined;
console.log(real ? `Calling ${real.name} itself, at a tenth of the traffic.\n` : "Offline: a fake OpenAI-compatible server answers every call.\n");

let lastQuarter = -1;
const demo = await runDemo({
  ...(real ? { apiKey: real.apiKey, provider: real.provider } : {}),
  ...(process.env.PORT ? { port: Number(process.env.PORT) } : {}),
  onProgress(done, total) {
    // One line that updates in a terminal; a line per quarter in a log.
    if (process.stdout.isTTY) process.stdout.write(`\rsimulating tenant traffic: ${done}/${total} calls`);
    else if (Math.floor((4 * done) / total) > lastQuarter) {
      lastQuarter = Math.floor((4 * done) / total);
      console.log(`simulating tenant traffic: ${done}/${total} calls`);
    }
  },
});
process.stdout.write(process.stdout.isTTY ? "\n\n" : "\n");
for (const tenant of demo.tenants) console.log(`  ${tenant.organization.padEnd(11)} ${tenant.story}`);
console.log("\nUsage and cost per tenant, as stored in embedded PostgreSQL (PGlite, .usagepilot/demo):\n");
console.log(formatUsageTable(demo.rows));

for (const [organization, refusal] of Object.entries(demo.traffic.refusals)) {
  const refused = Object.entries(demo.traffic.statuses[organization] ?? {}).filter(([status]) => status !== "200").reduce((sum, [, count]) => sum + count, 0);
  console.log(`\n${organization}: ${refused} call(s) refused before reaching the provider — ${refusal}`);
}
for (const alert of demo.alerts) console.log(`\nALERT ${alert.kind}: ${alert.message}`);

if (demo.served) {
  console.log("\nStored vs what the provider served, per tenant:");
  const stored: Record<string, number> = {};
  for (const row of demo.rows) stored[row.group.organization_id ?? "-"] = (stored[row.group.organization_id ?? "-"] ?? 0) + (row.inputTokens ?? 0) + (row.outputTokens ?? 0);
  for (const [organization, served] of Object.entries(demo.served)) {
    const servedTokens = served.inputTokens + served.outputTokens;
    console.log(`  ${organization.padEnd(11)} stored ${(stored[organization] ?? 0).toLocaleString("en-US").padStart(9)}  served ${servedTokens.toLocaleString("en-US").padStart(9)}  ${stored[organization] === servedTokens ? "equal" : "DIFFERENT"}`);
  }
}

console.log(`\nDashboard (operator, every tenant): ${demo.dashboard.operatorURL}`);
console.log(`Dashboard as tenant globex sees it:  ${demo.dashboard.tenantURL}`);
if (once) {
  await demo.close();
} else {
  console.log("\nServing the dashboard; Ctrl-C flushes everything and exits.");
  process.once("SIGINT", () => {
    void demo.close().then(() => process.exit(0));
  });
}
