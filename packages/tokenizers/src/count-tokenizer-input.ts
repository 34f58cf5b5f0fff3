import type { TokenizerInput } from "@usagepilot/core";

/**
 * Chat framing of OpenAI's current chat models, as OpenAI's cookbook documents it and the API reports it
 * (`num_tokens_from_messages`): every message is wrapped in `<|start|>{role}<|message|>…<|end|>`, i.e.
 * 3 tokens plus its role; a `name` costs 1 more plus its own tokens; 3 more prime the reply
 * (`<|start|>assistant<|message|>`).
 */
export const chatFraming = { tokensPerMessage: 3, tokensPerName: 1, replyPrimingTokens: 3 } as const;

/** The tokens of an input split into its text (content, names, system, tools) and the chat framing around it. */
export interface InputTokenParts {
  /** Tokens of the text the caller wrote. */
  text: number;
  /** Tokens the chat format adds around it (message wrappers, roles, reply priming); 0 for plain text. */
  framing: number;
}

/**
 * Counts a tokenizer input with the given text counter, applying OpenAI's chat framing to messages. A
 * separate `system` prompt counts as one more system message; serialised `tools` count as text (the
 * API's own tool framing is not reproduced, so callers mark such counts estimated). Plain text has no
 * framing: that is how an output or an embedding input is counted.
 */
export function countTokenizerInput(input: TokenizerInput, countText: (text: string) => number): InputTokenParts {
  if (typeof input === "string") return { text: countText(input), framing: 0 };
  let text = 0;
  let framing = chatFraming.replyPrimingTokens;
  if (typeof input.system === "string" && input.system !== "") {
    framing += chatFraming.tokensPerMessage + countText("system");
    text += countText(input.system);
  }
  for (const message of input.messages) {
    framing += chatFraming.tokensPerMessage + countText(message.role);
    text += countText(message.content);
    if (typeof message.name === "string" && message.name !== "") {
      framing += chatFraming.tokensPerName;
      text += countText(message.name);
    }
  }
  if (typeof input.tools === "string") text += countText(input.tools);
  return { text, framing };
}
