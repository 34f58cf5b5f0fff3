import { type OutputTokensV1, readField } from "@usagepilot/core";

/**
 * The output maximum of a Messages request, for limits: `max_tokens` (required by the API, so always
 * there on a valid request); a cap lowers it, never raises it.
 */
export const anthropicOutputTokens: OutputTokensV1 = {
  requested(body) {
    const value = readField(body, "max_tokens");
    return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;
  },
  cap(body, max) {
    const requested = anthropicOutputTokens.requested(body);
    return { ...(body as object), max_tokens: requested === null ? max : Math.min(requested, max) };
  },
};
