import { type OutputTokensV1, readField, readPositiveInteger } from "@usagepilot/core";

/** `generationConfig.maxOutputTokens` times `candidateCount`: the most a generate request may produce. */
function perCandidate(body: unknown): { max: number | null; candidates: number } {
  const config = readField(body, "generationConfig");
  return { max: readPositiveInteger(config, "maxOutputTokens") ?? null, candidates: readPositiveInteger(config, "candidateCount") ?? 1 };
}

/**
 * The output maximum of a Gemini `generateContent` / `streamGenerateContent` request, for limits. A cap
 * sets `generationConfig.maxOutputTokens` per candidate so all candidates together stay within it, and
 * never raises what the request asked for.
 */
export const googleOutputTokens: OutputTokensV1 = {
  requested(body) {
    const { max, candidates } = perCandidate(body);
    return max === null ? null : max * candidates;
  },
  cap(body, max) {
    const { max: asked, candidates } = perCandidate(body);
    const perCandidateMax = Math.max(1, Math.floor(max / candidates));
    const config = readField(body, "generationConfig");
    return { ...(body as object), generationConfig: { ...(typeof config === "object" && config !== null ? config : {}), maxOutputTokens: asked === null ? perCandidateMax : Math.min(asked, perCandidateMax) } };
  },
};
