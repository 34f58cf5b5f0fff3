/** Headers every dashboard answer carries: no sniffing, no caching of tenant data, no referrer leaks. */
const commonHeaders = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "cache-control": "no-store" } as const;

/** A JSON answer. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...commonHeaders, "content-type": "application/json; charset=utf-8", ...headers } });
}

/** An answer of any other type (HTML, JavaScript, CSV). */
export function textResponse(status: number, body: string, contentType: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...commonHeaders, "content-type": contentType, ...headers } });
}

/** An error as JSON: a short code the page switches on and a sentence for people. */
export function errorResponse(status: number, error: string, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { error, message }, headers);
}
