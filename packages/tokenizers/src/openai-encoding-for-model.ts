import { get_encoding_name_for_model, type TiktokenEncoding, type TiktokenModel } from "tiktoken";
import { normalizeModelName } from "./normalize-model-name";

// Families newer than a given tiktoken release: dated snapshots and new sizes keep their family's
// encoding, and tiktoken's lookup throws on any name it does not list.
const o200kFamilies = [/^gpt-4o/, /^chatgpt-4o/, /^gpt-4\.1/, /^gpt-4\.5/, /^gpt-5/, /^o[134](-|$)/, /^gpt-realtime/, /^gpt-audio/, /^codex-mini/];
const cl100kFamilies = [/^gpt-4(-|$)/, /^gpt-3\.5-turbo/, /^gpt-35-turbo/, /^text-embedding-3-/, /^text-embedding-ada-002/];

// Lookups repeat for every metered call; names are few, but the map is bounded in case a caller
// passes ever-new strings.
const resolved = new Map<string, TiktokenEncoding | null>();
const maxResolved = 1000;

/**
 * The tiktoken encoding of an OpenAI model: tiktoken's own model map first, then the family by prefix
 * (`o200k_base` for gpt-4o, gpt-4.1, gpt-4.5, gpt-5*, o1/o3/o4*, chatgpt-4o; `cl100k_base` for gpt-4,
 * gpt-3.5-turbo, text-embedding-3-*, text-embedding-ada-002). Fine-tunes and router prefixes resolve to
 * their base model. Null when the name is not an OpenAI model tiktoken can count exactly.
 */
export function openAIEncodingForModel(model: string): TiktokenEncoding | null {
  const name = normalizeModelName(model);
  const known = resolved.get(name);
  if (known !== undefined) return known;
  const encoding = lookUp(name);
  if (resolved.size >= maxResolved) resolved.clear();
  resolved.set(name, encoding);
  return encoding;
}

function lookUp(name: string): TiktokenEncoding | null {
  try {
    return get_encoding_name_for_model(name as TiktokenModel);
  } catch {
    // Not in tiktoken's map: decide by family below.
  }
  if (o200kFamilies.some((family) => family.test(name))) return "o200k_base";
  if (cl100kFamilies.some((family) => family.test(name))) return "cl100k_base";
  return null;
}
