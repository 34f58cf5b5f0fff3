import type { UsageEvent } from "@usagepilot/core";
import { eventColumns as storageEventColumns, toEventRow } from "@usagepilot/postgres";

export { toEventRow };

/** The columns of `usagepilot.events` a writer fills, in table order: the storage's own list. */
export const eventColumns = storageEventColumns.map((column) => column.name);

// COPY's text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
const special = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** The events as COPY text-format lines (tab-separated, in `eventColumns` order), one per event. */
export function toCopyText(events: readonly UsageEvent[]): string {
  let text = "";
  for (const event of events) {
    const row = toEventRow(event);
    let line = "";
    for (let index = 0; index < row.length; index += 1) {
      const value = row[index];
      if (index > 0) line += "\t";
      if (value === null || value === undefined) line += "\\N";
      else if (typeof value === "string") line += value.replace(special, (character) => escapes[character]!);
      else line += String(value);
    }
    text += `${line}\n`;
  }
  return text;
}
