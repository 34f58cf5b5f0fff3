import { safeParseJson } from "../util/safe-parse-json";
import type { BodyEnd, ObservationV1, ResponseObserverV1 } from "./provider-adapter-v1";

/**
 * An observer for whole JSON bodies: keeps the bytes as they pass, parses once at the end without
 * throwing, and hands the value to the adapter. A body that did not end, or is not JSON, has no usage.
 */
export function createJsonObserver(read: (body: unknown) => ObservationV1): ResponseObserverV1 {
  return new JsonObserver(read);
}

// A class, so an observer is one object (its methods on the prototype): one is made per metered call.
class JsonObserver implements ResponseObserverV1 {
  // Only a body pushed as bytes needs a decoder; most are handed over whole by the caller's json().
  private decoder: TextDecoder | undefined;
  private text = "";

  constructor(private readonly read: (body: unknown) => ObservationV1) {}

  readWhole(body: { text: string } | { json: unknown } | { notJson: true }): ObservationV1 {
    if ("json" in body) return this.read(body.json);
    if ("text" in body) return this.fromText(body.text);
    return notJson("the caller's json() could not parse it");
  }

  push(chunk: Uint8Array): void {
    this.decoder ??= new TextDecoder();
    this.text += this.decoder.decode(chunk, { stream: true });
  }

  end(how: BodyEnd): ObservationV1 {
    if (how !== "finished") {
      return { usage: null, status: "aborted", accuracy: "estimated", problem: `response body ${how} before it ended` };
    }
    if (this.decoder) this.text += this.decoder.decode();
    return this.fromText(this.text);
  }

  private fromText(whole: string): ObservationV1 {
    const parsed = safeParseJson(whole);
    if (!parsed.ok) return notJson(parsed.error.message);
    return this.read(parsed.value);
  }
}

function notJson(reason: string): ObservationV1 {
  return { usage: null, status: "error", accuracy: "estimated", problem: `response body is not JSON: ${reason}` };
}
