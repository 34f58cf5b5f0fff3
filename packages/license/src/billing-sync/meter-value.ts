import { addDecimal, type Decimal, multiplyDecimal, parseDecimal, safeParseJson } from "@usagepilot/core";
import type { MeterQuantity } from "./meter-definition";
import type { StoredUsageRow } from "./stored-usage-row";

/** One event's contribution to a meter, or why it has none: usage not measured, or no price known. */
export type MeterValue = { value: Decimal } | { unknown: "unmeasured" | "unpriced" };

const zero: Decimal = { units: 0n, scale: 0 };

function count(value: number | string | bigint | null): Decimal | null {
  return value === null ? null : { units: BigInt(value), scale: 0 };
}

/** A jsonb column as an object (drivers usually parse it already; a text form is parsed without throwing). */
export function jsonObject(value: Record<string, unknown> | string): Record<string, unknown> {
  if (typeof value !== "string") return value;
  const parsed = safeParseJson(value);
  return parsed.ok && typeof parsed.value === "object" && parsed.value !== null ? (parsed.value as Record<string, unknown>) : {};
}

/**
 * What one stored event adds to a meter, exactly. Unknown is not zero: an event whose usage was not
 * measured adds nothing to a token meter and is reported as unmeasured; one without a price, as unpriced.
 */
export function meterValue(row: StoredUsageRow, quantity: MeterQuantity): MeterValue {
  if (quantity === "requests") return { value: { units: 1n, scale: 0 } };
  if (typeof quantity === "string") {
    const input = count(row.input_tokens);
    const output = count(row.output_tokens);
    if (!input || !output) return { unknown: "unmeasured" };
    if (quantity === "tokens") return { value: addDecimal(input, output) };
    if (quantity === "input_tokens") return { value: input };
    if (quantity === "output_tokens") return { value: output };
    if (quantity === "cached_input_tokens") return { value: count(row.cached_input_tokens) ?? zero };
    return { value: count(row.reasoning_tokens) ?? zero };
  }
  if ("unit" in quantity) {
    // A unit the event did not record is a true zero for that event (it measured other things).
    const amount = jsonObject(row.units)[quantity.unit];
    return { value: typeof amount === "number" && Number.isFinite(amount) ? parseDecimal(numberText(amount)) : zero };
  }
  if (row.cost_usd === null) return { unknown: "unpriced" };
  const markup = addDecimal({ units: 1n, scale: 0 }, parseDecimal(quantity.cost.markup ?? "0"));
  return { value: multiplyDecimal(multiplyDecimal(parseDecimal(row.cost_usd), markup), parseDecimal(quantity.cost.creditsPerUsd ?? "1")) };
}

/** A unit count as a plain decimal string (units are recorded as JSON numbers: 1.5 seconds, 3 images). */
function numberText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent forms (1e-7, 1e21) spelled out digit by digit.
  return value.toFixed(20).replace(/\.?0+$/, "");
}
