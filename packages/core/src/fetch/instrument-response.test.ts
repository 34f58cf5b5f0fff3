import { describe, expect, it, vi } from "vitest";
import { instrumentResponse, type ResponseWatcher, type WholeBody } from "./instrument-response";
import type { WatchOptions } from "./observe-body";

const options: WatchOptions = { drainOnCancel: false, isCallerAbort: () => false };

function recordingWatcher(overrides: Partial<ResponseWatcher> = {}) {
  const seen: (WholeBody | string)[] = [];
  const watcher: ResponseWatcher = {
    chunk: () => {},
    end: (how) => seen.push(how),
    whole: (body) => seen.push(body),
    ...overrides,
  };
  return { watcher, seen };
}

/** A Response whose json() hands out a promise the test holds. */
function responseWithJson(result: Promise<unknown>): Response {
  class HeldResponse extends Response {
    override json(): Promise<unknown> {
      return result;
    }
  }
  return new HeldResponse("{}");
}

describe("instrumentResponse: whole-body readers", () => {
  it("hands the caller the reader's own promise, and reports the body before the caller's code runs", async () => {
    const held = Promise.resolve({ usage: { total_tokens: 3 } });
    const response = responseWithJson(held);
    const { watcher, seen } = recordingWatcher();
    expect(instrumentResponse(response, watcher, options)).toBe(true);
    const returned = response.json();
    expect(returned).toBe(held);
    const body = await returned;
    expect(seen).toEqual([{ json: body }]);
  });

  it("a body that is not JSON: the caller gets the same rejection, the watcher hears notJson", async () => {
    const response = new Response("not json");
    const { watcher, seen } = recordingWatcher();
    instrumentResponse(response, watcher, options);
    await expect(response.json()).rejects.toBeInstanceOf(SyntaxError);
    expect(seen).toEqual([{ notJson: true }]);
  });

  it("a watcher that throws never reaches the caller, nor leaves an unhandled rejection", async () => {
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      const response = new Response('{"a":1}');
      const { watcher } = recordingWatcher({
        whole: () => {
          throw new Error("watcher bug");
        },
      });
      instrumentResponse(response, watcher, options);
      await expect(response.json()).resolves.toEqual({ a: 1 });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  it("text(), arrayBuffer() and a failed read report what the caller got", async () => {
    const { watcher, seen } = recordingWatcher();
    const text = new Response("héllo");
    instrumentResponse(text, watcher, options);
    expect(await text.text()).toBe("héllo");
    const bytes = new Response("abc");
    instrumentResponse(bytes, watcher, options);
    expect(new TextDecoder().decode(await bytes.arrayBuffer())).toBe("abc");
    const used = new Response("x");
    await used.text();
    instrumentResponse(used, watcher, options);
    await expect(used.text()).rejects.toBeInstanceOf(TypeError);
    expect(seen).toEqual([{ text: "héllo" }, { text: "abc" }, "failed"]);
  });
});
