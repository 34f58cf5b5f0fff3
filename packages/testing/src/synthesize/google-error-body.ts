const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/**
 * Google's error shape for an HTTP status, as the Gemini API and Vertex AI send it:
 * `{ error: { code, message, status } }` (e.g. 429 → `RESOURCE_EXHAUSTED`).
 */
export function googleErrorBody(options: { status: number; message?: string }): { error: { code: number; message: string; status: string } } {
  const status = statusNames[options.status] ?? (options.status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION");
  return { error: { code: options.status, message: options.message ?? `The fake server answered ${options.status} ${status}`, status } };
}
