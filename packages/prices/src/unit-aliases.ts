/**
 * Event unit names that mean a genai-prices unit under another name: what adapters record
 * (Anthropic's `web_search_requests`; the OpenAI adapter's `file_searches`, counted from Responses API
 * `file_search_call` items) mapped to the data's names.
 * Any other name that is a genai-prices usage key (`web_searches`, `audio_seconds`, `requests`...) is used as is.
 */
export const unitAliases: Readonly<Record<string, string>> = {
  web_search_requests: "web_searches",
  file_searches: "storage_searches",
};
