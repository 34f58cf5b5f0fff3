import { safeParseJson } from "../util/safe-parse-json";

/** An outgoing body as text, parsed as JSON only when someone asks (large prompts cost to parse). */
export interface RequestBody {
  /** The body text when it was text or bytes; undefined for streams and forms, which are not read. */
  readonly text: string | undefined;
  /** The body parsed as JSON, once; undefined when it is not JSON. */
  json(): unknown;
}

/** Reads the outgoing body the provider SDKs send (JSON text), without consuming the caller's. */
export async function readRequestBody(input: RequestInfo | URL, init: RequestInit | undefined): Promise<RequestBody> {
  let text: string | undefined;
  if (init?.body !== undefined && init.body !== null) {
    if (typeof init.body === "string") text = init.body;
    else if (init.body instanceof Uint8Array) text = new TextDecoder().decode(init.body);
  } else if (input instanceof Request && input.body !== null && (input.headers.get("content-type") ?? "").includes("json")) {
    text = await input.clone().text();
  }
  let parsed: { value: unknown } | undefined;
  return {
    text,
    json() {
      if (!parsed) {
        const result = text === undefined ? undefined : safeParseJson(text);
        parsed = { value: result?.ok ? result.value : undefined };
      }
      return parsed.value;
    },
  };
}
