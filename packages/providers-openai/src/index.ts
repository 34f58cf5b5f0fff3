export { createOpenAIAdapter, type OpenAIAdapterOptions, type OpenAICompatibleBaseURL } from "./create-openai-adapter";
export { convertOpenAIChatUsage } from "./convert-openai-chat-usage";
export { convertOpenAIResponsesUsage } from "./convert-openai-responses-usage";
export { countResponsesToolCalls } from "./count-responses-tool-calls";
export { knownOpenAIHosts, type OpenAICompatibleHost } from "./openai-hosts";
export { openAIDialect, type OpenAIDialect } from "./openai-dialect";
