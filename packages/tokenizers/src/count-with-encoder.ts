import type { Tiktoken } from "tiktoken";

/**
 * Tokens of plain text with a tiktoken encoder. Text that spells a special token (`<|endoftext|>`)
 * counts as ordinary text, as the API treats user text, so a prompt can never make counting throw.
 */
export function countWithEncoder(encoder: Tiktoken, text: string): number {
  return text === "" ? 0 : encoder.encode_ordinary(text).length;
}
