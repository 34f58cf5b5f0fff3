import { type OutputTokensV1, readPositiveInteger } from "@usagepilot/core";

/**
 * The output maximum of a Messages request, for limits: `max_tokens` (required by the API, so always
 * there on a valid request); a cap lowers it, never raises it.
 */
export const anthropicOutputTokens: OutputTokensV1 = {
  requested(body) {
    return readPositiveInteger(body, "max_tokens") ?? null;
  },
  cap(body, max) {
    const requested = anthropicOutputTokens.requested(body);
    return { ...(body as object), max_tokens: requested === null ? max : Math.min(requested, max) };
  },
};
