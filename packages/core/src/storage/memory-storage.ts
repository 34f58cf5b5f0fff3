import type { UsageEvent } from "../event/usage-event";
import { aggregateEvents } from "./aggregate-events";
import type { UsageQuery, UsageQueryRow } from "./usage-query";
import type { UsageStorage } from "./usage-storage";

/**
 * Keeps events in memory, idempotent on id. For tests, demos and short-lived scripts: what it holds is
 * lost when the program exits.
 */
export class MemoryStorage implements UsageStorage {
  private readonly byId = new Map<string, UsageEvent>();

  /** Stores events; an id already stored is skipped, so a retried batch writes nothing twice. */
  async write(events: readonly UsageEvent[]): Promise<void> {
    for (const event of events) {
      // A frozen event (as UsagePilot records them) cannot change under us; anything else is copied.
      if (!this.byId.has(event.id)) this.byId.set(event.id, Object.isFrozen(event) ? event : structuredClone(event));
    }
  }

  /** Every stored event, in the order first stored. */
  get events(): readonly UsageEvent[] {
    return [...this.byId.values()];
  }

  async query(query: UsageQuery): Promise<UsageQueryRow[]> {
    return aggregateEvents(this.byId.values(), query);
  }

  async close(): Promise<void> {}
}
