import type { ModelInfo, ModelPrice } from "@pydantic/genai-prices";

/** The prices of a model in force at one moment, and a label for the condition that chose them. */
export interface SelectedModelPrice {
  prices: ModelPrice;
  /**
   * "" for a model with one price; for a model whose price changes, the condition that chose this one:
   * "from 2026-03-13", "before 2026-03-13", "00:30:00Z-16:30:00Z", or "default" (none of the windows).
   */
  label: string;
}

/** Seconds after midnight UTC of a "HH:MM:SS[.fff](Z|±HH:MM)" time of day. */
function secondsOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!match) throw new RangeError(`Invalid time-of-day constraint: ${text}`);
  const part = (index: number) => Number.parseInt(match[index] ?? "0", 10);
  const milliseconds = Number.parseInt((match[4] ?? "").padEnd(3, "0").slice(0, 3), 10);
  const local = part(1) * 3600 + part(2) * 60 + part(3) + milliseconds / 1000;
  const offset = match[5] === "Z" ? 0 : (match[6] === "+" ? 1 : -1) * (part(7) * 3600 + part(8) * 60);
  return (local - offset + 86_400) % 86_400;
}

/**
 * Picks the prices of a model in force at `at` (the event's own timestamp), as genai-prices does: the
 * data lists conditional prices oldest first, the last whose constraint holds wins — a start date
 * already reached, or a time-of-day window (UTC, may wrap midnight) that contains `at` — else the first.
 *
 * @throws RangeError for an invalid date or an unknown kind of constraint (the data is newer than this code).
 */
export function selectModelPrice(model: ModelInfo, at: Date): SelectedModelPrice {
  if (!Array.isArray(model.prices)) return { prices: model.prices, label: "" };
  if (Number.isNaN(at.getTime())) throw new RangeError("Invalid event time");
  const conditional = model.prices;
  const starts = conditional.map((entry) => (entry.constraint as { start_date?: string } | undefined)?.start_date).filter((start) => start !== undefined);
  // Before the first dated price, when every condition is a date; otherwise the price outside every window.
  const fallback = starts.length === conditional.length - 1 && starts.length > 0 ? `before ${[...starts].sort()[0]}` : "default";
  for (let index = conditional.length - 1; index >= 0; index -= 1) {
    const candidate = conditional[index]!;
    // Older data omits `type`; the fields say which constraint it is.
    const constraint = candidate.constraint as { type?: string; start_date?: string; start_time?: string; end_time?: string } | undefined;
    if (constraint === undefined) return { prices: candidate.prices, label: fallback };
    if (constraint.start_date !== undefined && (constraint.type ?? "start_date") === "start_date") {
      if (at >= new Date(constraint.start_date)) return { prices: candidate.prices, label: `from ${constraint.start_date}` };
    } else if (constraint.start_time !== undefined && constraint.end_time !== undefined && (constraint.type ?? "time_of_date") === "time_of_date") {
      const now = at.getUTCHours() * 3600 + at.getUTCMinutes() * 60 + at.getUTCSeconds() + at.getUTCMilliseconds() / 1000;
      const start = secondsOfDay(constraint.start_time);
      const end = secondsOfDay(constraint.end_time);
      const inside = end < start ? now >= start || now < end : now >= start && now < end;
      if (inside) return { prices: candidate.prices, label: `${constraint.start_time}-${constraint.end_time}` };
    } else {
      throw new RangeError(`Unknown price constraint for model "${model.id}": ${JSON.stringify(constraint)}`);
    }
  }
  return { prices: conditional[0]!.prices, label: fallback };
}
