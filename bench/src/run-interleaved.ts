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
  /** Work a side left in the background, charged to that side's round (see `RunRotatedOptions.settle`). */
  settle?: (side: Side) => Promise<void>;
}

/** Per-call durations in milliseconds for each side, and each round's metered/plain ratio of total time. */
export interface InterleavedTimings {
  plain: number[];
  metered: number[];
  /** Per round, metered/plain total time, each side's settle included. */
  roundRatios: number[];
  /** Per round, metered/plain time of the calls alone: what the caller waited, without the settle. */
  callRatios: number[];
  /** Per round, the metered side's settle (work it left in the background) per call, in ms. */
  meteredSettlePerCall: number[];
}

/** Runs both sides in alternating rounds and times every call (and each side's settle, in its round's total). */
export async function runInterleaved(options: RunInterleavedOptions): Promise<InterleavedTimings> {
  const timings = await runRotated({ ...options, sides: ["plain", "metered"] as const });
  const callsOf = (side: Side, round: number) => timings.roundTotals[round]![side] - (timings.settles[side][round] ?? 0);
  return {
    plain: timings.calls.plain,
    metered: timings.calls.metered,
    roundRatios: timings.roundTotals.map((totals) => totals.metered / totals.plain),
    callRatios: timings.roundTotals.map((_, round) => callsOf("metered", round) / callsOf("plain", round)),
    meteredSettlePerCall: timings.settles.metered.map((settle) => settle / options.callsPerRound),
  };
}

/** Options of `runRotated`. */
export interface RunRotatedOptions<S extends string> {
  /** The sides, the baseline usually first. */
  sides: readonly S[];
  /** Rounds; each runs every side once, the order rotating by one each round (with two sides: ABBA…). */
  rounds: number;
  /** Calls per side per round. */
  callsPerRound: number;
  /** Untimed calls per side before the first round, taken in turn, so every side runs JIT-warm code on a warm connection. */
  warmupCalls: number;
  /** One call on the given side; resolves when the caller has read the whole body. */
  call: (side: S) => Promise<void>;
  /**
   * Runs after a side's calls in each round and counts in that round's total (not in any call): for
   * work a side leaves in the background, such as a telemetry queue, so it is charged to the side that
   * made it rather than to whichever side runs next. Default: none.
   */
  settle?: (side: S) => Promise<void>;
}

/** Per-call and per-settle durations in milliseconds for each side, and each round's total time per side. */
export interface RotatedTimings<S extends string> {
  calls: Record<S, number[]>;
  settles: Record<S, number[]>;
  /** Per round, each side's calls plus its settle, in ms. */
  roundTotals: Record<S, number>[];
}

/**
 * Runs every side in rounds whose order rotates, and times every call, so drift and order effects (a
 * burst of load from another process, a GC) hit every side alike.
 */
export async function runRotated<S extends string>(options: RunRotatedOptions<S>): Promise<RotatedTimings<S>> {
  const { sides } = options;
  const perSide = <T>(make: () => T) => Object.fromEntries(sides.map((side) => [side, make()])) as Record<S, T>;
  for (let index = 0; index < options.warmupCalls; index += 1) for (const side of sides) await options.call(side);
  for (const side of sides) await options.settle?.(side);
  const timings: RotatedTimings<S> = { calls: perSide(() => []), settles: perSide(() => []), roundTotals: [] };
  for (let round = 0; round < options.rounds; round += 1) {
    const order = sides.map((_, index) => sides[(index + round) % sides.length]!);
    const totals = perSide(() => 0);
    for (const side of order) {
      for (let index = 0; index < options.callsPerRound; index += 1) {
        const started = performance.now();
        await options.call(side);
        const duration = performance.now() - started;
        timings.calls[side].push(duration);
        totals[side] += duration;
      }
      if (options.settle) {
        const started = performance.now();
        await options.settle(side);
        const duration = performance.now() - started;
        timings.settles[side].push(duration);
        totals[side] += duration;
      }
    }
    timings.roundTotals.push(totals);
  }
  return timings;
}
