import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MeteringError, type UsageEvent } from "@usagepilot/core";
import { createTestEvent } from "@usagepilot/core/test";
import { afterEach, describe, expect, it } from "vitest";
import { createFileSpool, SpoolLockedError } from "../src/index";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const folders: string[] = [];
function folder(): string {
  const path = mkdtempSync(join(tmpdir(), "usagepilot-spool-"));
  folders.push(path);
  return path;
}
afterEach(() => {
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
});

const segments = (directory: string) => readdirSync(directory).filter((name) => name.endsWith(".ndjson"));
const events = (count: number): UsageEvent[] => Array.from({ length: count }, (_, index) => createTestEvent({ dimensions: { user_id: `u${index}` } }));
const ids = (list: readonly UsageEvent[]) => list.map((event) => event.id).sort();

/** Runs a script against the built package in a child process, as a separate app instance would. */
function child(script: string) {
  return spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
}

describe("createFileSpool", () => {
  it("writes appended events to a segment on sync, and deletes the segment once every event is settled", async () => {
    const directory = folder();
    const spool = createFileSpool({ directory, syncIntervalMs: 60_000 });
    const batch = events(5);
    for (const event of batch) spool.append(event);
    await spool.sync();
    const [segment] = segments(directory);
    const lines = readFileSync(join(directory, segment!), "utf8").trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as UsageEvent).id)).toEqual(batch.map((event) => event.id));
    spool.settle(batch);
    await spool.close();
    expect(segments(directory)).toEqual([]);
    expect(readdirSync(directory)).toEqual([]); // the lock is released too
  });

  it("does not write events settled before their sync", async () => {
    const directory = folder();
    const spool = createFileSpool({ directory, syncIntervalMs: 60_000 });
    const [stored, kept] = events(2);
    spool.append(stored!);
    spool.append(kept!);
    spool.settle([stored!]);
    await spool.sync();
    const text = readFileSync(join(directory, segments(directory)[0]!), "utf8");
    expect(text).toContain(kept!.id);
    expect(text).not.toContain(stored!.id);
    await spool.close();
  });

  it("recovers what an earlier spool captured and did not settle (and may replay settled ones: writes are idempotent), skipping a torn last line", async () => {
    const directory = folder();
    const errors: unknown[] = [];
    const first = createFileSpool({ directory, syncIntervalMs: 60_000 });
    const batch = events(10);
    for (const event of batch) first.append(event);
    await first.sync();
    first.settle(batch.slice(0, 4));
    await first.close();
    // A crash in the middle of a later write leaves half a line at the end of the segment.
    appendFileSync(join(directory, segments(directory)[0]!), '{"schemaVersion":1,"id":"0190');
    const second = createFileSpool({ directory, onError: (error) => errors.push(error) });
    const recovered = await second.recover();
    // Settlement is not written down, so a segment still in use comes back whole; storage drops the repeats.
    expect(ids(recovered)).toEqual(ids(batch));
    expect(errors).toHaveLength(1);
    expect(MeteringError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as Error).message).toContain("1 unreadable line");
    // Settling the recovered events reclaims the old segment.
    second.settle(recovered);
    await second.close();
    expect(segments(directory)).toEqual([]);
  });

  it("rolls over to a new segment at maxSegmentBytes and deletes settled segments as it goes", async () => {
    const directory = folder();
    const spool = createFileSpool({ directory, syncIntervalMs: 60_000, maxSegmentBytes: 2_000 });
    const all: UsageEvent[] = [];
    for (let round = 0; round < 6; round += 1) {
      const batch = events(5);
      all.push(...batch);
      for (const event of batch) spool.append(event);
      await spool.sync();
    }
    expect(segments(directory).length).toBeGreaterThan(1);
    spool.settle(all);
    await spool.sync();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Only the active segment can remain until the spool closes.
    expect(segments(directory).length).toBeLessThanOrEqual(1);
    await spool.close();
    expect(segments(directory)).toEqual([]);
  });

  it("refuses a directory another live process or spool holds, and takes over from a dead one", async () => {
    const directory = folder();
    const spool = createFileSpool({ directory });
    expect(() => createFileSpool({ directory })).toThrow(SpoolLockedError);
    await spool.close();

    const holder = child(`import { createFileSpool } from "@usagepilot/node"; createFileSpool({ directory: ${JSON.stringify(directory)} }); console.log("locked"); setInterval(() => {}, 1000);`);
    await new Promise<void>((resolve) => holder.stdout.on("data", () => resolve()));
    let refused: unknown;
    try {
      createFileSpool({ directory });
    } catch (error) {
      refused = error;
    }
    expect(SpoolLockedError.isInstance(refused)).toBe(true);
    expect((refused as SpoolLockedError).pid).toBe(holder.pid);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.on("exit", resolve));
    const taken = createFileSpool({ directory });
    await taken.close();
  });

  it("loses nothing that was synced before a SIGKILL", async () => {
    const directory = folder();
    // An app instance capturing events in a loop; it prints the ids made durable by each sync.
    const script = `
      import { createFileSpool } from "@usagepilot/node";
      import { createTestEvent } from "@usagepilot/core/test";
      const spool = createFileSpool({ directory: ${JSON.stringify(directory)}, syncIntervalMs: 5 });
      let batch = [];
      setInterval(async () => {
        for (let n = 0; n < 20; n += 1) { const event = createTestEvent({ dimensions: { user_id: "u" } }); spool.append(event); batch.push(event.id); }
        const synced = batch; batch = [];
        await spool.sync();
        process.stdout.write(synced.join("\\n") + "\\n");
      }, 2);
    `;
    const app = child(script);
    let output = "";
    app.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (output.split("\n").length > 2_000) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    app.kill("SIGKILL");
    await new Promise((resolve) => app.on("exit", resolve));
    // Only whole lines were acknowledged as synced: the last one may be cut by the kill.
    const synced = output.split("\n").slice(0, -1).filter((line) => line.length === 36);
    const next = createFileSpool({ directory });
    const recovered = new Set((await next.recover()).map((event) => event.id));
    expect(synced.length).toBeGreaterThanOrEqual(2_000);
    expect(synced.filter((id) => !recovered.has(id))).toEqual([]);
    await next.close();
  });
});
