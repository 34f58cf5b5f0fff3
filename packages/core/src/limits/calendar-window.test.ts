import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calendarWindow } from "./calendar-window";

describe("calendarWindow", () => {
  it("a UTC month and day", () => {
    expect(calendarWindow("month", "UTC", Date.UTC(2026, 1, 28, 23, 59))).toEqual({ id: "2026-02", start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
    expect(calendarWindow("day", "UTC", Date.UTC(2026, 11, 31, 12))).toEqual({ id: "2026-12-31", start: Date.UTC(2026, 11, 31), end: Date.UTC(2027, 0, 1) });
  });

  it("month end in a zone behind UTC: still November locally after midnight UTC", () => {
    const window = calendarWindow("month", "America/New_York", Date.UTC(2026, 11, 1, 4, 59));
    expect(window).toEqual({ id: "2026-11", start: Date.UTC(2026, 10, 1, 4), end: Date.UTC(2026, 11, 1, 5) });
    // New York left summer time on 1 November 2026: the month starts at UTC-4 and ends at UTC-5.
    expect(calendarWindow("month", "America/New_York", Date.UTC(2026, 11, 1, 5)).id).toBe("2026-12");
  });

  it("a zone ahead of UTC with a half-hour offset, across a year end", () => {
    expect(calendarWindow("month", "Asia/Kolkata", Date.UTC(2026, 11, 31, 18, 30))).toEqual({ id: "2027-01", start: Date.UTC(2026, 11, 31, 18, 30), end: Date.UTC(2027, 0, 31, 18, 30) });
  });

  it("a day on which the clocks change is 23 or 25 hours long", () => {
    const spring = calendarWindow("day", "Europe/Berlin", Date.UTC(2026, 2, 29, 12));
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    const autumn = calendarWindow("day", "Europe/Berlin", Date.UTC(2026, 9, 25, 12));
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
  });

  it("a day with no midnight (the clocks jump from 00:00 to 01:00) starts at the jump, and the evening before stays in its own day", () => {
    // São Paulo, 15 October 2017: 00:00 (UTC-3) became 01:00 (UTC-2), at 03:00 UTC.
    const eve = Date.UTC(2017, 9, 15, 2, 30); // 23:30 on the 14th, local time
    expect(calendarWindow("day", "America/Sao_Paulo", eve)).toEqual({ id: "2017-10-14", start: Date.UTC(2017, 9, 14, 3), end: Date.UTC(2017, 9, 15, 3) });
    expect(calendarWindow("day", "America/Sao_Paulo", Date.UTC(2017, 9, 15, 3))).toMatchObject({ id: "2017-10-15", start: Date.UTC(2017, 9, 15, 3) });
  });

  it("an unknown time zone throws", () => {
    expect(() => calendarWindow("day", "Mars/Olympus", 0)).toThrow(RangeError);
  });
});

describe("calendarWindow, any instant in any zone", () => {
  // Zones whose clocks change at local midnight (so some days have no 00:00), half-hour and 45-minute
  // offsets, both hemispheres, and UTC.
  const zones = ["UTC", "America/Sao_Paulo", "America/Santiago", "America/Asuncion", "America/Havana", "Asia/Beirut", "Africa/Cairo", "Asia/Tehran", "Europe/Berlin", "America/Los_Angeles", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "Asia/Kolkata"];
  const instant = fc.integer({ min: Date.UTC(2012, 0, 1), max: Date.UTC(2030, 11, 31) });
  const local = (time: number, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(time);

  it("holds the instant, starts on its local day (month), and meets the next window exactly", () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, fc.constantFrom("day" as const, "month" as const), (timeZone, now, kind) => {
        const window = calendarWindow(kind, timeZone, now);
        expect(window.start).toBeLessThanOrEqual(now);
        expect(now).toBeLessThan(window.end);
        // The window is the local calendar day (month) of the instant: its first and last moments read so.
        expect(local(window.start, timeZone).startsWith(window.id)).toBe(true);
        expect(local(window.end - 1, timeZone).startsWith(window.id)).toBe(true);
        expect(local(window.start - 1, timeZone).startsWith(window.id)).toBe(false);
        expect(calendarWindow(kind, timeZone, window.end).start).toBe(window.end);
      }),
      { numRuns: 1500 },
    );
  });
});
