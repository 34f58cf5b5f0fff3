import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEventId, eventIdTime } from "./create-event-id";

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("createEventId", () => {
  it("makes RFC 9562 UUIDv7 strings: version nibble 7, variant bits 10", () => {
    for (let index = 0; index < 200; index += 1) {
      const id = createEventId();
      expect(id).toMatch(uuidV7);
      const hex = id.replaceAll("-", "");
      expect(Number.parseInt(hex[12]!, 16)).toBe(7);
      expect(Number.parseInt(hex[16]!, 16) >> 2).toBe(0b10);
    }
  });

  it("keeps ids made in the same millisecond strictly increasing as strings, past the 12-bit counter", () => {
    const now = Date.now() + 1_000;
    const ids = Array.from({ length: 10_000 }, () => createEventId(now));
    const outOfOrder = ids.findIndex((id, index) => index > 0 && !(ids[index - 1]! < id));
    expect(outOfOrder).toBe(-1);
    expect(ids.filter((id) => !uuidV7.test(id))).toEqual([]);
  });

  it("stays increasing when the clock goes backwards", () => {
    const now = Date.now() + 100_000;
    const first = createEventId(now);
    const second = createEventId(now - 50_000);
    expect(first < second).toBe(true);
  });

  it("encodes the creation time, which eventIdTime reads back", () => {
    // Times well ahead of anything made before in this file, increasing, so no borrowing happens.
    let time = Date.now() + 10_000_000;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (step) => {
        time += step;
        const id = createEventId(time);
        expect(eventIdTime(id)).toBe(time);
        expect(new Date(eventIdTime(id)!).toISOString()).toBe(new Date(time).toISOString());
      }),
    );
  });

  it("eventIdTime refuses what is not a UUIDv7", () => {
    expect(eventIdTime("not-an-id")).toBeUndefined();
    expect(eventIdTime("0190b6b2-9c3e-4b1a-8c3e-0123456789ab")).toBeUndefined(); // version 4
    expect(eventIdTime("0190b6b2-9c3e-7b1a-cc3e-0123456789ab")).toBeUndefined(); // variant 110x
    expect(eventIdTime("0190b6b2-9c3e-7b1a-8c3e-0123456789ab")).toBe(0x0190b6b29c3e);
  });
});
