/**
 * The bare model name a tokenizer looks up: lower-cased, without a router or platform prefix
 * (`openai/gpt-4o`, `models/gemini-2.5-flash`, `publishers/google/models/…`) and without a fine-tune
 * wrapper (`ft:gpt-4o-mini-2024-07-18:org::id` → `gpt-4o-mini-2024-07-18`), because a fine-tune keeps its
 * base model's tokenizer.
 */
export function normalizeModelName(model: string): string {
  let name = model.trim().toLowerCase();
  if (name.startsWith("ft:")) name = name.slice(3).split(":")[0] ?? "";
  const slash = name.lastIndexOf("/");
  if (slash >= 0) name = name.slice(slash + 1);
  return name;
}
