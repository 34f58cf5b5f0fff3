// A sync process for exactly-once.test.ts, run from the BUILT package so it can be killed for real.
// It syncs once and prints the report as JSON. With KILL_AFTER_BATCHES=n it SIGKILLs itself right after the
// n-th batch was accepted by the (fake) Stripe and before that was recorded: the crash the design is for.
import { runSyncChild } from "@usagepilot/license/test";
import { PostgresStorage } from "@usagepilot/postgres";
import Stripe from "stripe";
import { createStripeBilling } from "../dist/index.js";

await runSyncChild(async ({ databaseUrl, env, billingOptions }) => {
  const storage = new PostgresStorage({ connectionString: databaseUrl, migrate: false });
  const stripe = new Stripe("sk_test_fake", { host: "127.0.0.1", port: Number(env.FAKE_PORT), protocol: "http", maxNetworkRetries: 0, timeout: 1500 });
  const billing = await createStripeBilling({ ...billingOptions, stripe, storage, resolveCustomer: (tenant) => tenant.replace("org_", "cus_"), requestsPerSecond: 5000 });
  return { billing, storage };
});
