import type { FakeChatUsage } from "../fake-llm-answer";
import { chatIdentity, fakeSystemFingerprint } from "./chat-identity";
import { chatUsageObject } from "./chat-usage-object";

/**
 * A non-streamed Chat Completions body (`object: "chat.completion"`) in the wire format of
 * `openai/chat-nonstream-gpt-4.1-nano.json`.
 */
export function synthesizeChatCompletion(options: { usage: FakeChatUsage; model: string; content: string; id?: string; created?: number }): string {
  const identity = chatIdentity(options);
  return JSON.stringify({
    id: identity.id,
    object: "chat.completion",
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: options.content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: chatUsageObject(options.usage),
    service_tier: "default",
    system_fingerprint: fakeSystemFingerprint,
  });
}
