import type { SyncChildResult } from "./billing-usage-fixtures";
import { nodeProcess } from "./node-process";

/**
 * The slice of Node's `child_process.execFile` the runner calls. Tests pass `execFile` itself: this entry is
 * type-checked without Node's types, so it cannot import it.
 */
export type ExecFileLike = (
  file: string,
  args: string[],
  options: { env: Record<string, string | undefined>; timeout: number },
  callback: (error: Error | null, stdout: string, stderr: string) => void,
) => { readonly signalCode: string | null; kill(signal: "SIGKILL"): boolean };

/** What one sync child is given; `runSyncChild` (the child's side) reads the same variables. */
export interface SyncChildSetup {
  /** The database to sync from (DATABASE). */
  databaseUrl: string;
  /** The billing's meters (METERS, as JSON). */
  meters: unknown;
  /** The licence the billing is created with (LICENSE_KEY, LICENSE_PUBLIC_KEY). */
  license: { licenseKey: string; licensePublicKey: string };
  /** Further variables the script reads, such as where the fake billing API listens. */
  env?: Record<string, string>;
}

/** Options of `createSyncChildRunner`. */
export interface SyncChildRunnerOptions {
  /** `execFile` from `node:child_process`. */
  execFile: ExecFileLike;
  /** The path of the sync-child script, run with `node`. */
  script: string;
  /** Called at each run, so what the test file makes in `beforeAll` is read once it exists. */
  setup: () => SyncChildSetup;
  /** How long one run may take before it fails. Default 120 000 ms. */
  timeoutMs?: number;
}

/**
 * Makes `run(killAfterBatches, killAfterMs)` for a billing exactly-once test (the shape `runSyncsToCompletion`
 * takes): it runs the sync-child script once in its own process, which SIGKILLs itself after its
 * `killAfterBatches`-th accepted batch (0: never), and is SIGKILLed from here after `killAfterMs` when that is
 * not null. A killed run resolves with `killed: true` and no report; a run that fails on its own rejects with
 * what it printed, so a broken child is a failed test rather than a "crash".
 */
export function createSyncChildRunner(options: SyncChildRunnerOptions): (killAfterBatches: number, killAfterMs: number | null) => Promise<SyncChildResult> {
  return (killAfterBatches, killAfterMs) => {
    const setup = options.setup();
    const env = {
      ...nodeProcess?.env,
      ...setup.env,
      DATABASE: setup.databaseUrl,
      METERS: JSON.stringify(setup.meters),
      LICENSE_KEY: setup.license.licenseKey,
      LICENSE_PUBLIC_KEY: setup.license.licensePublicKey,
      KILL_AFTER_BATCHES: String(killAfterBatches),
    };
    return new Promise((resolve, reject) => {
      const child = options.execFile("node", [options.script], { env, timeout: options.timeoutMs ?? 120_000 }, (error, stdout, stderr) => {
        const killed = child.signalCode === "SIGKILL";
        if (error && !killed) return reject(new Error(`sync child failed: ${stderr || error.message}`));
        // The child's own report on a local pipe, not network data.
        resolve({ killed, report: killed ? null : (JSON.parse(stdout) as SyncChildResult["report"]) });
      });
      if (killAfterMs !== null) setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    });
  };
}
