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

/** Whether the local date of instant `time` in `timeZone` is on or after `date` (a UTC midnight). */
function reached(time: number, date: number, timeZone: string): boolean {
  const wall = wallClock(time, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day) >= date;
}

/**
 * The first instant whose local date in `timeZone` is year-month-day or later (months and days may
 * overflow). Usually that is local midnight; where the clocks jump forward at midnight (Chile, Paraguay,
 * Cuba, Brazil until 2019...) the day has no 00:00 and starts at the jump. Local dates never go back, so
 * the days (and months) this gives meet end to end and every instant falls in exactly one of them.
 */
function dayStart(year: number, month: number, day: number, timeZone: string): number {
  const date = Date.UTC(year, month - 1, day);
  // The zone's offset at an instant is its wall clock read as UTC minus the instant; two rounds settle
  // most days where the offset changes between the first guess and the answer.
  let guess = date;
  for (let round = 0; round < 2; round += 1) {
    const wall = wallClock(guess, timeZone);
    guess = date - (Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - guess);
  }
  if (reached(guess, date, timeZone) && !reached(guess - 1, date, timeZone)) return guess;
  // A midnight that does not exist (or an odd offset change): bracket the start, then halve to the millisecond.
  let low = guess;
  let high = guess;
  for (let step = 3_600_000; reached(low, date, timeZone); step *= 2) low -= step;
  for (let step = 3_600_000; !reached(high, date, timeZone); step *= 2) high += step;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (reached(middle, date, timeZone)) high = middle;
    else low = middle;
  }
  return high;
}

const pad = (value: number) => String(value).padStart(2, "0");

/**
 * The calendar day or month holding `now` in `timeZone` (an IANA name; the Intl API, no dependency):
 * windows start at local midnight (or when the day starts, where it has no midnight), on the 1st for
 * months, whatever the zone's offset or DST.
 */
export function calendarWindow(kind: "day" | "month", timeZone: string, now: number): CalendarWindow {
  const { year, month, day } = wallClock(now, timeZone);
  if (kind === "month") {
    return { id: `${year}-${pad(month)}`, start: dayStart(year, month, 1, timeZone), end: dayStart(year, month + 1, 1, timeZone) };
  }
  return { id: `${year}-${pad(month)}-${pad(day)}`, start: dayStart(year, month, day, timeZone), end: dayStart(year, month, day + 1, timeZone) };
}
