import { randomBytes } from "node:crypto";

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A random identifier shaped like OpenAI's (`chatcmpl-…`, `req_…`), so code that logs or stores
 * provider ids sees realistic values.
 */
export function randomId(options: { prefix: string; length?: number }): string {
  const length = options.length ?? 24;
  const bytes = randomBytes(length);
  let id = options.prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}
