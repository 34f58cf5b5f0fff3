import { safeParseJson } from "../util/safe-parse-json";

/**
 * The outgoing body parsed as JSON when it is JSON text (what the provider SDKs send); undefined for
 * streams, forms and binary bodies, which are passed on without being read.
 */
export async function readRequestBody(input: RequestInfo | URL, init: RequestInit | undefined): Promise<unknown> {
  let text: string | undefined;
  if (init?.body !== undefined && init.body !== null) {
    if (typeof init.body === "string") text = init.body;
    else if (init.body instanceof Uint8Array) text = new TextDecoder().decode(init.body);
  } else if (input instanceof Request && input.body !== null && (input.headers.get("content-type") ?? "").includes("json")) {
    text = await input.clone().text();
  }
  if (text === undefined) return undefined;
  const parsed = safeParseJson(text);
  return parsed.ok ? parsed.value : undefined;
}
