import type { RequestBodyV1 as RequestBody } from "../provider/provider-adapter-v1";
import { safeParseJson } from "../util/safe-parse-json";

/**
 * Reads the outgoing body the provider SDKs send (JSON text), without consuming the caller's. Returns at
 * once for a string or bytes body; only a `Request` with a body needs waiting for.
 */
export function readRequestBody(input: RequestInfo | URL, init: RequestInit | undefined): RequestBody | Promise<RequestBody> {
  if (init?.body !== undefined && init.body !== null) {
    if (typeof init.body === "string") return lazyJson(init.body);
    if (init.body instanceof Uint8Array) return lazyJson(new TextDecoder().decode(init.body));
    return lazyJson(undefined);
  }
  if (input instanceof Request && input.body !== null && (input.headers.get("content-type") ?? "").includes("json")) {
    return input.clone().text().then(lazyJson);
  }
  return lazyJson(undefined);
}

function lazyJson(text: string | undefined): RequestBody {
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
