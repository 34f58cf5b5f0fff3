/** The result of parsing untrusted text: never throws. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: Error };

/** Parses provider or network text as JSON without throwing. */
export function safeParseJson(text: string): ParseResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
