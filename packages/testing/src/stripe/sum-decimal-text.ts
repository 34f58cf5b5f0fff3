/** Exact sum of decimal strings ("12", "0.5"), for the fakes' totals: no float ever touches a value. */
export function sumDecimalText(values: Iterable<string>): string {
  let units = 0n;
  let scale = 0;
  for (const value of values) {
    const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
    if (!match) throw new RangeError(`not a decimal: ${value}`);
    const fraction = match[3] ?? "";
    let next = BigInt((match[2] ?? "0") + fraction);
    if (match[1]) next = -next;
    if (fraction.length > scale) {
      units *= 10n ** BigInt(fraction.length - scale);
      scale = fraction.length;
    }
    units += next * 10n ** BigInt(scale - fraction.length);
  }
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
    digits = fraction ? `${digits.slice(0, digits.length - scale)}.${fraction}` : digits.slice(0, digits.length - scale);
  }
  return negative && digits !== "0" ? `-${digits}` : digits;
}

/** True when the text is a plain decimal number, the only form the fakes accept as a value. */
export function isDecimalText(value: unknown): value is string {
  return typeof value === "string" && /^-?\d+(?:\.\d+)?$/.test(value.trim());
}
