import type { Tiktoken } from "tiktoken";
import { countWithEncoder } from "./count-with-encoder";

const digitRun = /\p{Nd}+/gu;

/**
 * Tokens of text for a tokenizer that gives every decimal digit its own token (SentencePiece's
 * `split_digits`, used by Gemini and Gemma): the text between digit runs is counted with the encoder,
 * each digit adds one. o200k_base already cuts text at digit runs, so counting the pieces apart
 * changes nothing else.
 */
export function countSplittingDigits(encoder: Tiktoken, text: string): number {
  let tokens = 0;
  let start = 0;
  for (const match of text.matchAll(digitRun)) {
    tokens += countWithEncoder(encoder, text.slice(start, match.index)) + [...match[0]].length;
    start = match.index + match[0].length;
  }
  return tokens + countWithEncoder(encoder, text.slice(start));
}
