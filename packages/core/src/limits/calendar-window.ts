/** A calendar window: its id (e.g. "2026-11" or "2026-11-29") and its bounds in epoch ms. */
export interface CalendarWindow {
  id: string;
  start: number;
  end: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    // h23 so midnight is 00, not 24; the parts are read back as numbers.
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formats.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of instant `time` in `timeZone`. */
function wallClock(time: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const fields: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(time)) if (part.type !== "literal") fields[part.type] = Number(part.value);
  return { year: fields.year!, month: fields.month!, day: fields.day!, hour: fields.hour!, minute: fields.minute!, second: fields.second! };
}

/** The instant at which the wall clock of `timeZone` reads year-month-day 00:00 (months may overflow). */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const target = Date.UTC(year, month - 1, day);
  // The zone's offset at an instant is its wall clock read as UTC minus the instant; two rounds settle
  // days where the offset changes (DST) between the first guess and the answer.
  let guess = target;
  for (let round = 0; round < 2; round += 1) {
    const wall = wallClock(guess, timeZone);
    const offset = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - guess;
    guess = target - offset;
  }
  return guess;
}

const pad = (value: number) => String(value).padStart(2, "0");

/**
 * The calendar day or month holding `now` in `timeZone` (an IANA name; the Intl API, no dependency):
 * windows start at local midnight, on the 1st for months, whatever the zone's offset or DST.
 */
export function calendarWindow(kind: "day" | "month", timeZone: string, now: number): CalendarWindow {
  const { year, month, day } = wallClock(now, timeZone);
  if (kind === "month") {
    return { id: `${year}-${pad(month)}`, start: localMidnight(year, month, 1, timeZone), end: localMidnight(year, month + 1, 1, timeZone) };
  }
  return { id: `${year}-${pad(month)}-${pad(day)}`, start: localMidnight(year, month, day, timeZone), end: localMidnight(year, month, day + 1, timeZone) };
}
