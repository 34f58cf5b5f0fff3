/** The outcome of parsing untrusted JSON text. */
export type ParseJsonResult = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Parses JSON text to a result instead of throwing, because request and fixture bodies may be anything. */
export function safeParseJson(text: string): ParseJsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error };
  }
}
