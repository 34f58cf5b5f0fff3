import { nodeProcess } from "./node-process";

/** What `runSyncChild` hands the script to build its billing with. */
export interface SyncChildContext {
  /** The database to sync from (DATABASE). */
  databaseUrl: string;
  /** The whole environment, for the script's own variables (where the fake billing API listens). */
  env: Record<string, string | undefined>;
  /** Options both billing packages take, to spread into `createStripeBilling` / `createChargebeeBilling`. */
  billingOptions: {
    /** The billing's meters (METERS), parsed. */
    meters: unknown;
    /** LICENSE_KEY. */
    licenseKey: string;
    /** LICENSE_PUBLIC_KEY. */
    licensePublicKey: string;
    /** 10 ms: quick retries keep the faulty runs short. */
    retryBaseMs: number;
    /** 500 ms. */
    retryMaxMs: number;
    /**
     * SIGKILLs this process right after the KILL_AFTER_BATCHES-th batch was accepted and before that was
     * recorded, the crash the exactly-once design is for. 0 (the default): never.
     */
    onBatchSent: () => void;
  };
}

/** The part of a sync report the parent test reads. */
interface SyncReportLike {
  claimedEvents: number;
  sentLines: number;
  pendingLines: number;
  mode: string | null;
  problems: readonly unknown[];
  failures: readonly unknown[];
}

/**
 * The body of a billing package's sync-child script (started by `createSyncChildRunner`, run from the built
 * package so it can be killed for real): reads the variables the runner set, lets `start` build the billing,
 * syncs once, closes the storage and prints the report as JSON on stdout.
 */
export async function runSyncChild(start: (context: SyncChildContext) => Promise<{ billing: { sync(): Promise<SyncReportLike> }; storage: { close(): Promise<void> } }>): Promise<void> {
  if (!nodeProcess) throw new Error("runSyncChild runs in a Node child process");
  const process = nodeProcess;
  const env = process.env;
  const killAfter = Number(env.KILL_AFTER_BATCHES ?? 0);
  let batches = 0;
  const { billing, storage } = await start({
    databaseUrl: env.DATABASE ?? "",
    env,
    billingOptions: {
      // Set by the parent test from its own meters, not network data.
      meters: JSON.parse(env.METERS ?? "[]") as unknown,
      licenseKey: env.LICENSE_KEY ?? "",
      licensePublicKey: env.LICENSE_PUBLIC_KEY ?? "",
      retryBaseMs: 10,
      retryMaxMs: 500,
      onBatchSent: () => {
        batches += 1;
        if (batches === killAfter) process.kill(process.pid, "SIGKILL");
      },
    },
  });
  const report = await billing.sync();
  await storage.close();
  process.stdout.write(JSON.stringify({ claimedEvents: report.claimedEvents, sentLines: report.sentLines, pendingLines: report.pendingLines, mode: report.mode, problems: report.problems.length, failures: report.failures.length }));
}
