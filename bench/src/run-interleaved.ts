/** Which side of a comparison a timing belongs to. */
export type Side = "plain" | "metered";

/** Options of `runInterleaved`. */
export interface RunInterleavedOptions {
  /** Rounds; each runs both sides once, the first side alternating (ABBA…) to cancel drift and order effects. */
  rounds: number;
  /** Calls per side per round. */
  callsPerRound: number;
  /** Untimed calls per side before the first round, so both sides run JIT-warm code on a warm connection. */
  warmupCalls: number;
  /** One call on the given side; resolves when the caller has read the whole body. */
  call: (side: Side) => Promise<void>;
}

/** Per-call durations in milliseconds for each side, and each round's metered/plain ratio of total time. */
export interface InterleavedTimings {
  plain: number[];
  metered: number[];
  roundRatios: number[];
}

/** Runs both sides in alternating rounds and times every call. */
export async function runInterleaved(options: RunInterleavedOptions): Promise<InterleavedTimings> {
  for (let index = 0; index < options.warmupCalls; index += 1) {
    await options.call("plain");
    await options.call("metered");
  }
  const timings: InterleavedTimings = { plain: [], metered: [], roundRatios: [] };
  for (let round = 0; round < options.rounds; round += 1) {
    const order: Side[] = round % 2 === 0 ? ["plain", "metered"] : ["metered", "plain"];
    const totals = { plain: 0, metered: 0 };
    for (const side of order) {
      for (let index = 0; index < options.callsPerRound; index += 1) {
        const started = performance.now();
        await options.call(side);
        const duration = performance.now() - started;
        timings[side].push(duration);
        totals[side] += duration;
      }
    }
    timings.roundRatios.push(totals.metered / totals.plain);
  }
  return timings;
}
