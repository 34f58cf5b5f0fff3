let lastMs = 0;
let sequence = 0;
// Random bytes are drawn from the system in blocks: one getRandomValues call per id costs more than the id.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;
// One id is built at a time (this is synchronous), so its bytes and its text need no allocation of their own.
const bytes = new Uint8Array(16);
const text = new Uint8Array(36);
// Where each byte's two hex digits go in the text ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx").
const digitsAt = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
for (const dash of [8, 13, 18, 23]) text[dash] = 0x2d;
const hexDigits = new TextEncoder().encode("0123456789abcdef");
// The text becomes a string in one step: joining 16 pieces made a chain of intermediate strings per id.
const ascii = new TextDecoder();

function fillRandom(from: number): void {
  const needed = bytes.length - from;
  if (poolOffset + needed > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  for (let index = from; index < bytes.length; index += 1) bytes[index] = pool[poolOffset++]!;
}

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids made in the same
 * millisecond in order, then 62 random bits. Web Crypto only, so it runs on every runtime.
 */
export function createEventId(now: number = Date.now()): string {
  if (now <= lastMs) {
    sequence += 1;
    if (sequence > 0xfff) {
      // The counter ran out within one millisecond: borrow the next millisecond, as RFC 9562 allows.
      lastMs += 1;
      sequence = 0;
    }
  } else {
    lastMs = now;
    sequence = 0;
  }
  fillRandom(6);
  let ms = lastMs;
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  for (let index = 0; index < 16; index += 1) {
    const at = digitsAt[index]!;
    const byte = bytes[index]!;
    text[at] = hexDigits[byte >> 4]!;
    text[at + 1] = hexDigits[byte & 0x0f]!;
  }
  return ascii.decode(text);
}

/** The creation time (Unix ms) encoded in a UUIDv7, or undefined when the string is not one. */
export function eventIdTime(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
