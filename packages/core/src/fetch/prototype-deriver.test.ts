import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { createPrototypeDeriver, methodDescriptor } from "./prototype-deriver";

// V8's own answer to "do these two objects share a hidden class?": the flag lets new code use %-natives.
setFlagsFromString("--allow-natives-syntax");
const haveSameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: object, b: object) => boolean;

const key = Symbol("state");

function deriver() {
  return createPrototypeDeriver((prototype) => {
    const json = prototype.json as ((this: object) => Promise<unknown>) | undefined;
    if (typeof json !== "function") return null;
    return {
      json: methodDescriptor(async function (this: { [key]?: string }) {
        return { state: this[key], original: await json.call(this) };
      }),
    };
  });
}

describe("createPrototypeDeriver", () => {
  it("gives the object the derived methods and its state under the symbol, and instanceof still holds", async () => {
    const response = new Response('{"a":1}');
    expect(deriver().swap(response, key, "watched")).toBe(true);
    expect(response).toBeInstanceOf(Response);
    expect(await response.json()).toEqual({ state: "watched", original: { a: 1 } });
    expect(Object.keys(response)).toEqual([]);
  });

  it("objects it instruments share one hidden class, so inline caches (undici's too) stay monomorphic", () => {
    const derive = deriver();
    const first = new Response("{}", { headers: { "content-type": "application/json" } });
    const second = new Response("{}", { headers: { "content-type": "application/json" } });
    expect(haveSameMap(first, second)).toBe(true);
    derive.swap(first, key, "one");
    derive.swap(second, key, "two");
    expect(haveSameMap(first, second)).toBe(true);
  });

  it("leaves an object it cannot instrument untouched", () => {
    const frozen = Object.freeze(new Response("{}"));
    expect(deriver().swap(frozen, key, "x")).toBe(false);
    const plain = { json: 1 };
    expect(deriver().swap(plain, key, "x")).toBe(false);
    expect(Object.getOwnPropertySymbols(plain)).toEqual([]);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
  });
});
