/** Decodes UTF-8 that arrives in chunks, a character possibly split between two of them. */
export interface Utf8Decoder {
  /** The text of `bytes`; the bytes of a character they end in the middle of wait for the next call. */
  decode(bytes: Uint8Array): string;
  /** The bytes still waiting (an incomplete character: U+FFFD), and a fresh start. */
  end(): string;
}

// One decoder for every stream: whole sequences need no state, and Node's non-streaming decode is its
// fast path (a streaming TextDecoder opens an ICU converter per stream and decodes through it). The BOM
// is kept here and dropped once, at the start of a stream, as a streaming decoder would.
const wholeDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/**
 * How many bytes at the end of `bytes` begin a sequence that is still missing bytes (0 to 3). Cutting
 * before any byte that is not a continuation byte leaves the text of what comes before unchanged,
 * however the rest goes on: such a byte ends (or breaks) whatever sequence was open.
 */
function incompleteTail(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back += 1) {
    const byte = bytes[length - back]!;
    if (isContinuation(byte)) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  // Three continuation bytes: the sequence they belong to is complete (or already broken).
  return 0;
}

/**
 * A streaming UTF-8 decoder that gives exactly what `new TextDecoder().decode(bytes, { stream: true })`
 * gives, replacement characters included, but decodes each chunk whole through one shared decoder.
 */
export function createUtf8Decoder(): Utf8Decoder {
  let pending: Uint8Array | undefined;
  let started = false;

  const decodeComplete = (bytes: Uint8Array): string => {
    let text = wholeDecoder.decode(bytes);
    if (!started && text.length > 0) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };

  const decodeUpToTail = (bytes: Uint8Array): string => {
    const waiting = incompleteTail(bytes);
    if (waiting === 0) return decodeComplete(bytes);
    pending = bytes.slice(bytes.length - waiting);
    return decodeComplete(bytes.subarray(0, bytes.length - waiting));
  };

  return {
    decode(bytes) {
      if (!pending) return decodeUpToTail(bytes);
      // The waiting bytes and the continuation bytes that may finish them (a lead needs at most three).
      let taken = 0;
      while (taken < bytes.length && taken < 3 && isContinuation(bytes[taken]!)) taken += 1;
      const joined = new Uint8Array(pending.length + taken);
      joined.set(pending);
      joined.set(bytes.subarray(0, taken), pending.length);
      pending = undefined;
      if (taken === bytes.length) return decodeUpToTail(joined);
      return decodeComplete(joined) + decodeUpToTail(bytes.subarray(taken));
    },
    end() {
      const text = pending ? decodeComplete(pending) : "";
      pending = undefined;
      started = false;
      return text;
    },
  };
}
