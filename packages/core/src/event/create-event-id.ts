const byteHex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
let lastMs = 0;
let sequence = 0;
// Random bytes are drawn from the system in blocks: one getRandomValues call per id costs more than the id.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;
// One id is built at a time (this is synchronous), so its bytes need no allocation of their own.
const bytes = new Uint8Array(16);

function fillRandom(from: number): void {
  const needed = bytes.length - from;
  if (poolOffset + needed > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  for (let index = from; index < bytes.length; index += 1) bytes[index] = pool[poolOffset++]!;
}

function hex(from: number, to: number): string {
  let text = "";
  for (let index = from; index < to; index += 1) text += byteHex[bytes[index]!];
  return text;
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
  return `${hex(0, 4)}-${hex(4, 6)}-${hex(6, 8)}-${hex(8, 10)}-${hex(10, 16)}`;
}

/** The creation time (Unix ms) encoded in a UUIDv7, or undefined when the string is not one. */
export function eventIdTime(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
