import type { UsageEvent, UsageStorage } from "usagepilot";
import { eventProblem, type ExpectedEvents } from "./verify-events";

/**
 * A storage that checks every event it is given against what its kind of call must record, counts it and
 * keeps none: what the interception benchmark times is the metered call, not a store growing in memory
 * (MemoryStorage keeps every event for the life of the process; a real storage writes and lets go).
 */
export class CheckingStorage implements UsageStorage {
  private readonly tallies: { expected: ExpectedEvents; count: number; wrong: number; example: UsageEvent | undefined }[];
  private unexpected = 0;

  constructor(expected: readonly ExpectedEvents[]) {
    this.tallies = expected.map((entry) => ({ expected: entry, count: 0, wrong: 0, example: undefined }));
  }

  async write(events: readonly UsageEvent[]): Promise<void> {
    for (const event of events) {
      const tally = this.tallies.find((candidate) => candidate.expected.streamed === event.streamed);
      if (!tally) {
        this.unexpected += 1;
        continue;
      }
      tally.count += 1;
      if (eventProblem(event, tally.expected)) {
        tally.wrong += 1;
        tally.example ??= event;
      }
    }
  }

  /** Events stored in all. */
  get stored(): number {
    return this.tallies.reduce((sum, tally) => sum + tally.count, 0) + this.unexpected;
  }

  /** The problems found; none means every call of every kind recorded one correct event. */
  problems(): string[] {
    const problems: string[] = [];
    if (this.unexpected > 0) problems.push(`${this.unexpected} event(s) of no expected kind`);
    for (const { expected, count, wrong, example } of this.tallies) {
      if (count !== expected.count) problems.push(`${expected.label}: ${count} events stored for ${expected.count} metered calls`);
      if (wrong > 0) problems.push(`${expected.label}: ${wrong} event(s) with the wrong status, model, dimensions or usage, e.g. ${JSON.stringify(example)}`);
    }
    return problems;
  }
}
