import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The job a `spool-traffic.mjs` child runs; see that script. */
export interface TrafficJob {
  role: "first" | "second";
  databaseUrl: string;
  spoolDirectory: string;
  baseURL: string;
  tenants: string[];
  /** Calls per worker, or null to call until killed. */
  callsPerWorker: number | null;
  batchSize: number;
}

/** A running child and what it has said so far. */
export interface TrafficProcess {
  readonly child: ChildProcess;
  /** Calls whose whole answer the SDK had handed to the caller. */
  readonly received: Set<string>;
  /** Calls whose event was in the spool with a completed sync after it. */
  readonly durable: Set<string>;
  /** Background problems the child reported. */
  readonly errors: string[];
  /** Everything it wrote to stderr. */
  readonly stderr: () => string;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once `condition` holds on what the child said; rejects after `timeoutMs` or when it exits first. */
  until(condition: () => boolean, what: string, timeoutMs: number): Promise<void>;
}

const script = fileURLToPath(new URL("./spool-traffic.mjs", import.meta.url));

/** Starts `node spool-traffic.mjs <job>` and follows its stdout line by line. */
export function startTrafficProcess(job: TrafficJob): TrafficProcess {
  const child = spawn(process.execPath, [script, JSON.stringify(job)], { stdio: ["ignore", "pipe", "pipe"] });
  const received = new Set<string>();
  const durable = new Set<string>();
  const errors: string[] = [];
  let stderr = "";
  let rest = "";
  let exitedAlready = false;
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    const lines = (rest + text).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const [kind, ...words] = line.split(" ");
      const value = words.join(" ");
      if (kind === "received") received.add(value);
      else if (kind === "durable") durable.add(value);
      else if (kind === "error") errors.push(value);
    }
    for (const watcher of watchers) watcher();
  });
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      exitedAlready = true;
      for (const watcher of watchers) watcher();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    received,
    durable,
    errors,
    stderr: () => stderr,
    exited,
    until(condition, what, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${stderr}`)), timeoutMs);
        const finish = (error?: Error) => {
          clearTimeout(timer);
          watchers.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (condition()) finish();
          else if (exitedAlready) finish(new Error(`The traffic process exited before ${what}; stderr: ${stderr}`));
        };
        watchers.add(check);
        check();
      });
    },
  };
}
