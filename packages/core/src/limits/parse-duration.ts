const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as milliseconds: a number of ms, or text such as "90s", "30m", "1h", "7d". Throws a RangeError otherwise. */
export function parseDuration(duration: string | number): number {
  if (typeof duration === "number") {
    if (!Number.isFinite(duration) || duration <= 0) throw new RangeError(`Not a positive duration: ${duration}`);
    return duration;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(duration);
  // Whole milliseconds: a duration that rounds to none ("0.1ms") is no duration either.
  const value = match ? Math.round(Number(match[1]) * units[match[2]!]!) : Number.NaN;
  if (!(value > 0)) throw new RangeError(`Not a duration: "${duration}" (use e.g. "30m", "1h", "7d")`);
  return value;
}
