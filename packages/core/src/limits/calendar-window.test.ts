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

  it("an unknown time zone throws", () => {
    expect(() => calendarWindow("day", "Mars/Olympus", 0)).toThrow(RangeError);
  });
});
