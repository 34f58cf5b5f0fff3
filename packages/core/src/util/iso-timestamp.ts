// The date and time to the second of the last timestamp formatted: calls come many per second.
let cachedSecond = Number.NaN;
let cachedPrefix = "";

/**
 * `new Date(ms).toISOString()`, faster: the "YYYY-MM-DDTHH:MM:SS" part is formatted once per second
 * (toISOString is among the costliest steps of recording an event).
 */
export function isoTimestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const whole = new Date(second * 1000).toISOString();
    // Years outside 0000–9999 are written with a sign and six digits: not worth a cache.
    if (whole.length !== 24) return new Date(ms).toISOString();
    cachedSecond = second;
    cachedPrefix = whole.slice(0, 19);
  }
  const millis = ms - second * 1000;
  return `${cachedPrefix}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}
