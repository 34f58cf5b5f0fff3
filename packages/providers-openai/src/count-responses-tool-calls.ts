/** Built-in tools of the Responses API are billed per call, outside `usage`: output item type → unit. */
const toolUnits: Record<string, string> = {
  web_search_call: "web_searches",
  file_search_call: "file_searches",
  code_interpreter_call: "code_interpreter_calls",
  image_generation_call: "image_generations",
  computer_call: "computer_calls",
};

/** Counts the built-in tool calls among a response's output items, as units. */
export function countResponsesToolCalls(output: unknown): Record<string, number> {
  const units: Record<string, number> = {};
  if (!Array.isArray(output)) return units;
  for (const item of output) {
    const type = typeof item === "object" && item !== null ? (item as { type?: unknown }).type : undefined;
    const unit = typeof type === "string" ? toolUnits[type] : undefined;
    if (unit) units[unit] = (units[unit] ?? 0) + 1;
  }
  return units;
}
