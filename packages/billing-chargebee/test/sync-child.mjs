// A sync process for exactly-once.test.ts, run from the BUILT package so it can be killed for real.
// It syncs once and prints the report as JSON. With KILL_AFTER_BATCHES=n it SIGKILLs itself right after the
// n-th batch was accepted by the (fake) Chargebee and before that was recorded: the crash the design is for.
import { runSyncChild } from "@usagepilot/license/test";
import { PostgresStorage } from "@usagepilot/postgres";
import { createChargebeeRedirectClient, fakeChargebeeHostSuffix } from "@usagepilot/testing";
import Chargebee from "chargebee";
import { createChargebeeBilling } from "../dist/index.js";

await runSyncChild(async ({ databaseUrl, env, billingOptions }) => {
  const storage = new PostgresStorage({ connectionString: databaseUrl, migrate: false });
  const chargebee = new Chargebee({ site: "usagepilot-test", apiKey: "test_fake", protocol: "http", hostSuffix: fakeChargebeeHostSuffix, timeout: 1500, httpClient: createChargebeeRedirectClient(env.FAKE_ORIGIN) });
  const billing = await createChargebeeBilling({ ...billingOptions, chargebee, storage, resolveSubscription: (tenant) => tenant.replace("org_", "sub_"), eventsPerMinute: 100_000_000 });
  return { billing, storage };
});
