import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isHeaderRecord, RecordHeaders } from "./record-headers";

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
// Header values: visible ASCII and spaces/tabs inside, optionally padded with HTTP whitespace.
const value = fc.tuple(fc.constantFrom("", " ", "\t", " \t"), fc.stringMatching(/^[!-~]([ -~]{0,10}[!-~])?$/), fc.constantFrom("", " ", "\t")).map(([before, core, after]) => before + core + after);

describe("RecordHeaders", () => {
  it("reads a plain-object init exactly as Headers does: any case, trimmed, same names joined", () => {
    fc.assert(
      fc.property(fc.dictionary(token, value, { maxKeys: 6 }), fc.array(token, { maxLength: 4 }), (record, extraNames) => {
        // As the metered fetch reads an init: in place when isHeaderRecord says it can.
        const view = isHeaderRecord(record) ? new RecordHeaders(record) : new Headers(record);
        const real = new Headers(record);
        for (const name of [...Object.keys(record), ...extraNames]) {
          for (const asked of [name, name.toUpperCase(), name.toLowerCase()]) {
            expect(view.get(asked)).toBe(real.get(asked));
            expect(view.has(asked)).toBe(real.has(asked));
          }
        }
        expect([...view]).toEqual([...real]);
        expect([...new Headers(view)]).toEqual([...real]);
      }),
    );
  });

  it("leaves a record with an own __proto__ key to the runtime's Headers, which do not agree on it", () => {
    const record: Record<string, string> = { "x-user-id": "u1" };
    Object.defineProperty(record, "__proto__", { value: "!", enumerable: true, configurable: true, writable: true });
    expect(isHeaderRecord(record)).toBe(false);
    expect(isHeaderRecord({ "x-user-id": "u1" })).toBe(true);
  });

  it("joins names that differ only in case, in order, as Headers does", () => {
    const record = { "X-Tenant": "a", "x-tenant": " b " };
    expect(new RecordHeaders(record).get("x-TENANT")).toBe(new Headers(record).get("x-tenant"));
  });

  it("changes a copy, never the caller's object, and reads the copy afterwards", () => {
    const record = { "x-user-id": "u1", authorization: "Bearer k" };
    const view = new RecordHeaders(record);
    view.set("x-user-id", "u2");
    view.delete("authorization");
    view.append("x-extra", "1");
    expect(view.get("x-user-id")).toBe("u2");
    expect(view.has("authorization")).toBe(false);
    expect([...view.keys()]).toEqual(["x-extra", "x-user-id"]);
    expect(record).toEqual({ "x-user-id": "u1", authorization: "Bearer k" });
    const seen: string[] = [];
    view.forEach((headerValue, name, parent) => {
      seen.push(`${name}=${headerValue}`);
      expect(parent).toBe(view);
    });
    expect(seen).toEqual(["x-extra=1", "x-user-id=u2"]);
    expect(Object.prototype.toString.call(view)).toBe("[object Headers]");
  });

  it("takes only plain objects: Headers, pairs and class instances are left to Headers", () => {
    expect(isHeaderRecord({ a: "1" })).toBe(true);
    expect(isHeaderRecord(Object.assign(Object.create(null) as object, { a: "1" }) as Record<string, string>)).toBe(true);
    expect(isHeaderRecord(new Headers({ a: "1" }))).toBe(false);
    expect(isHeaderRecord([["a", "1"]])).toBe(false);
    expect(isHeaderRecord(new Map([["a", "1"]]) as unknown as HeadersInit)).toBe(false);
    expect(isHeaderRecord(undefined)).toBe(false);
  });
});
