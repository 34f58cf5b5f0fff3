import { describe, expect, it } from "vitest";
import type { UsageEvent } from "../event/usage-event";
import { MemoryStorage } from "../storage/memory-storage";
import { createTestEvent } from "../test/create-test-event";
import { UsagePilot } from "../usage-pilot";
import type { SpoolV1 } from "./spool-v1";

/** A spool kept in memory that records what UsagePilot asked of it, in order. */
function recordingSpool(leftover: UsageEvent[] = []) {
  const log: string[] = [];
  const held = new Map<string, UsageEvent>();
  const spool: SpoolV1 = {
    specificationVersion: "v1",
    append(event) {
      log.push(`append ${event.id}`);
      held.set(event.id, event);
    },
    async recover() {
      log.push("recover");
      return leftover;
    },
    settle(events) {
      for (const event of events) {
        log.push(`settle ${event.id}`);
        held.delete(event.id);
      }
    },
    async sync() {
      log.push("sync");
    },
    async close() {
      log.push("close");
    },
  };
  return { spool, log, held };
}

/** A storage that records when each event was written, against the spool's log. */
class LoggingStorage extends MemoryStorage {
  constructor(private readonly log: string[]) {
    super();
  }
  override async write(events: readonly UsageEvent[]): Promise<void> {
    for (const event of events) this.log.push(`write ${event.id}`);
    await super.write(events);
  }
}

describe("UsagePilot with a spool", () => {
  it("appends each event to the spool before it is written, settles it once stored, syncs on flush and closes on shutdown", async () => {
    const { spool, log, held } = recordingSpool();
    const storage = new LoggingStorage(log);
    const usage = new UsagePilot({ storage, providers: [], spool, flushInterval: 60_000 });
    const event = await usage.track({ dimensions: { user_id: "u" }, units: { images: 1 } });
    expect(log).toContain(`append ${event.id}`);
    expect(log).not.toContain(`write ${event.id}`);
    await usage.flush();
    expect(log.indexOf(`append ${event.id}`)).toBeLessThan(log.indexOf(`write ${event.id}`));
    expect(log.indexOf(`write ${event.id}`)).toBeLessThan(log.indexOf(`settle ${event.id}`));
    expect(log).toContain("sync");
    expect(held.size).toBe(0);
    await usage.shutdown();
    expect(log.at(-1)).toBe("close");
  });

  it("stores what an earlier process left in the spool, once, on start", async () => {
    const leftover = [createTestEvent({ dimensions: { user_id: "before-the-crash" } }), createTestEvent({ dimensions: { user_id: "before-the-crash" } })];
    const { spool, log } = recordingSpool(leftover);
    const storage = new LoggingStorage(log);
    const usage = new UsagePilot({ storage, providers: [], spool });
    await usage.flush();
    expect(storage.events.map((event) => event.id).sort()).toEqual(leftover.map((event) => event.id).sort());
    for (const event of leftover) expect(log).toContain(`settle ${event.id}`);
    // Recovered events are already in the spool: they are not appended again.
    for (const event of leftover) expect(log).not.toContain(`append ${event.id}`);
    await usage.shutdown();
  });
});
