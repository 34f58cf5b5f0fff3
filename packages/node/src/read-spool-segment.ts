import { readFileSync } from "node:fs";
import { safeParseJson, type UsageEvent, validateUsageEvent } from "@usagepilot/core";

/** What a segment file held: its events, and how many lines could not be read back. */
export interface SegmentContents {
  events: UsageEvent[];
  /** Lines that were torn (a crash mid-write: only ever the last) or did not hold a valid event. */
  unreadable: number;
}

/** Reads one spool segment: one JSON event per line; a torn or invalid line is counted, never fatal. */
export function readSpoolSegment(path: string): SegmentContents {
  const text = readFileSync(path, "utf8");
  const events: UsageEvent[] = [];
  let unreadable = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const parsed = safeParseJson(line);
    if (!parsed.ok || !isValidEvent(parsed.value)) {
      unreadable += 1;
      continue;
    }
    events.push(parsed.value as UsageEvent);
  }
  return { events, unreadable };
}

function isValidEvent(value: unknown): value is UsageEvent {
  if (typeof value !== "object" || value === null) return false;
  try {
    return validateUsageEvent(value as UsageEvent).length === 0;
  } catch {
    return false;
  }
}
