/** Outputs remembered per kind of call. */
const window = 64;

interface Observed {
  values: number[];
  next: number;
  p90: number | undefined;
}

/**
 * The typical output of a kind of call (a feature, provider and model), for calls that name no output
 * maximum: the 90th percentile of the last 64 observed outputs, computed when asked after a change.
 */
export class OutputEstimator {
  private readonly kinds = new Map<string, Observed>();

  /** Remembers one call's output tokens. */
  observe(kind: string, outputTokens: number): void {
    let observed = this.kinds.get(kind);
    if (!observed) {
      observed = { values: [], next: 0, p90: undefined };
      this.kinds.set(kind, observed);
    }
    if (observed.values.length < window) observed.values.push(outputTokens);
    else observed.values[observed.next] = outputTokens;
    observed.next = (observed.next + 1) % window;
    observed.p90 = undefined;
  }

  /** The 90th percentile of this kind's recent outputs, or undefined before any was observed. */
  estimate(kind: string): number | undefined {
    const observed = this.kinds.get(kind);
    if (!observed || observed.values.length === 0) return undefined;
    if (observed.p90 === undefined) {
      const sorted = [...observed.values].sort((left, right) => left - right);
      observed.p90 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]!;
    }
    return observed.p90;
  }
}
