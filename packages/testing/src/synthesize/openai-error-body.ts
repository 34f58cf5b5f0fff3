/** OpenAI's error body for a status, as the API sends it for the common cases. */
export function openAIErrorBody(options: { status: number; message?: string }): { error: { message: string; type: string; param: null; code: string | null } } {
  const { status } = options;
  const known: Record<number, { message: string; type: string; code: string | null }> = {
    400: { message: "Invalid request.", type: "invalid_request_error", code: null },
    401: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" },
    403: { message: "You are not allowed to sample from this model.", type: "invalid_request_error", code: null },
    404: { message: "The model does not exist or you do not have access to it.", type: "invalid_request_error", code: "model_not_found" },
    429: { message: "Rate limit reached for requests. Please try again later.", type: "requests", code: "rate_limit_exceeded" },
    500: { message: "The server had an error while processing your request. Sorry about that!", type: "server_error", code: null },
    503: { message: "The engine is currently overloaded, please try again later.", type: "server_error", code: null },
  };
  const fallback = { message: `Request failed with status ${status}.`, type: status >= 500 ? "server_error" : "invalid_request_error", code: null };
  const shape = known[status] ?? fallback;
  return { error: { message: options.message ?? shape.message, type: shape.type, param: null, code: shape.code } };
}
