// A sync process for exactly-once.test.ts, run from the BUILT package so it can be killed for real.
// It syncs once and prints the report as JSON. With KILL_AFTER_BATCHES=n it SIGKILLs itself right after the
// n-th batch was accepted by the (fake) Chargebee and before that was recorded: the crash the design is for.
import { PostgresStorage } from "@usagepilot/postgres";
import { createChargebeeRedirectClient, fakeChargebeeHostSuffix } from "@usagepilot/testing";
import Chargebee from "chargebee";
import { createChargebeeBilling } from "../dist/index.js";

const env = process.env;
const storage = new PostgresStorage({ connectionString: env.DATABASE, migrate: false });
const chargebee = new Chargebee({ site: "usagepilot-test", apiKey: "test_fake", protocol: "http", hostSuffix: fakeChargebeeHostSuffix, timeout: 1500, httpClient: createChargebeeRedirectClient(env.FAKE_ORIGIN) });
const killAfter = Number(env.KILL_AFTER_BATCHES ?? 0);
let batches = 0;
const billing = await createChargebeeBilling({
  chargebee,
  storage,
  meters: JSON.parse(env.METERS),
  licenseKey: env.LICENSE_KEY,
  licensePublicKey: env.LICENSE_PUBLIC_KEY,
  resolveSubscription: (tenant) => tenant.replace("org_", "sub_"),
  retryBaseMs: 10,
  retryMaxMs: 500,
  eventsPerMinute: 100_000_000,
  onBatchSent: () => {
    batches += 1;
    if (batches === killAfter) process.kill(process.pid, "SIGKILL");
  },
});
const report = await billing.sync();
await storage.close();
process.stdout.write(JSON.stringify({ claimedEvents: report.claimedEvents, sentLines: report.sentLines, pendingLines: report.pendingLines, mode: report.mode, problems: report.problems.length, failures: report.failures.length }));
