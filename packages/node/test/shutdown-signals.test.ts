import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const folders: string[] = [];
afterEach(() => {
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
});

/**
 * An app that captures events into a storage whose writes land in a file, with a long flush interval (so
 * nothing is written on its own), and hands shutdown to `handleShutdownSignals`.
 */
function startApp(file: string, options: { slowWriteMs?: number; timeoutMs?: number } = {}) {
  const script = `
    import { appendFileSync } from "node:fs";
    import { UsagePilot, MemoryStorage } from "@usagepilot/core";
    import { handleShutdownSignals } from "@usagepilot/node";
    class FileStorage extends MemoryStorage {
      async write(events) {
        await new Promise((resolve) => setTimeout(resolve, ${options.slowWriteMs ?? 0}));
        appendFileSync(${JSON.stringify(file)}, events.map((event) => event.id + "\\n").join(""));
      }
    }
    const usage = new UsagePilot({ storage: new FileStorage(), providers: [], flushInterval: 3_600_000, batchSize: 1_000 });
    handleShutdownSignals(usage, { timeoutMs: ${options.timeoutMs ?? 5_000}, onError: (error) => console.error("flush failed:", error.name) });
    for (let index = 0; index < 25; index += 1) await usage.track({ dimensions: { user_id: "u" }, units: { images: 1 } });
    console.log("ready");
    setInterval(() => {}, 1_000);
  `;
  return spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
}

async function runUntilSignal(signal: NodeJS.Signals, options: { slowWriteMs?: number; timeoutMs?: number } = {}) {
  const folder = mkdtempSync(join(tmpdir(), "usagepilot-signals-"));
  folders.push(folder);
  const file = join(folder, "stored.txt");
  const app = startApp(file, options);
  let stderr = "";
  app.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve) => app.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve()));
  app.kill(signal);
  const code = await new Promise<number | null>((resolve) => app.on("exit", (exitCode) => resolve(exitCode)));
  let stored: string[] = [];
  try {
    stored = readFileSync(file, "utf8").trim().split("\n").filter(Boolean);
  } catch {
    // Nothing was written.
  }
  return { code, stored, stderr };
}

describe("handleShutdownSignals", () => {
  it("on SIGTERM, flushes every captured event, then exits 0", async () => {
    const { code, stored } = await runUntilSignal("SIGTERM");
    expect(code).toBe(0);
    expect(stored).toHaveLength(25);
  });

  it("on SIGINT likewise", async () => {
    const { code, stored } = await runUntilSignal("SIGINT");
    expect(code).toBe(0);
    expect(stored).toHaveLength(25);
  });

  it("when the flush outruns its deadline, reports it and exits 1 instead of hanging", async () => {
    const { code, stderr } = await runUntilSignal("SIGTERM", { slowWriteMs: 5_000, timeoutMs: 200 });
    expect(code).toBe(1);
    expect(stderr).toContain("flush failed: UsagePilotFlushTimeoutError");
  });
});
