/** A push-based framer of a streamed JSON array: it hands over each element as soon as it is complete. */
export interface JsonArrayFramer {
  /** The next bytes; a chunk may end anywhere, inside a string, an escape or a multi-byte character. */
  push(bytes: Uint8Array): void;
  /** True once the array's closing `]` (or the end of a lone top-level object) went by. */
  readonly closed: boolean;
  /** True while an element has started but not ended: the body so far stops inside it. */
  readonly inElement: boolean;
}

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const comma = 0x2c;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Frames a JSON array that arrives in pieces (Gemini's `streamGenerateContent` without `alt=sse`:
 * `[{…},\r\n{…}]`) into its elements, each decoded and handed to `onElement` as text the moment its last
 * byte arrives. Nothing but the element in progress is held, never the whole body. It scans bytes, not
 * characters: every structural character is ASCII and no byte of a multi-byte UTF-8 character is below
 * 0x80, so a split inside a character cannot confuse it, and each element is decoded whole. Inside strings
 * it jumps from quote to backslash with native `indexOf`, since text is most of a Gemini chunk.
 * A body that is one object rather than an array (an error answer) is framed as one element.
 */
export function createJsonArrayFramer(onElement: (text: string) => void): JsonArrayFramer {
  const decoder = new TextDecoder();
  let state: "start" | "between" | "element" | "closed" = "start";
  // Whether the body is a lone object: then its end closes the body.
  let lone = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  // A top-level number or literal: it ends at the next comma, bracket or space.
  let scalar = false;
  // Copies of the earlier pieces of the element in progress (the caller may reuse its chunks' memory).
  let pieces: Uint8Array[] = [];

  const emit = (last: Uint8Array) => {
    let bytes = last;
    if (pieces.length > 0) {
      let length = last.length;
      for (const piece of pieces) length += piece.length;
      bytes = new Uint8Array(length);
      let offset = 0;
      for (const piece of pieces) {
        bytes.set(piece, offset);
        offset += piece.length;
      }
      bytes.set(last, offset);
      pieces = [];
    }
    state = lone ? "closed" : "between";
    onElement(decoder.decode(bytes));
  };

  return {
    get closed() {
      return state === "closed";
    },
    get inElement() {
      return state === "element";
    },
    push(bytes) {
      let start = state === "element" ? 0 : -1;
      // The next quote and backslash at or after the scan position: each found by one native scan and
      // looked for again only once passed (-1: none left in this chunk), so a string full of escapes
      // costs one pass, not one scan per escape.
      let nextQuote = -2;
      let nextBackslash = -2;
      let index = 0;
      const length = bytes.length;
      while (index < length) {
        if (state === "closed") return;
        if (state !== "element") {
          const byte = bytes[index]!;
          if (isWhitespace(byte) || (state === "between" && byte === comma)) {
            index += 1;
            continue;
          }
          if (state === "start" && byte === openBracket) {
            state = "between";
            index += 1;
            continue;
          }
          if (state === "between" && byte === closeBracket) {
            state = "closed";
            return;
          }
          // An element (or, at the very start, a lone value) begins here.
          lone = state === "start";
          state = "element";
          start = index;
          depth = 0;
          scalar = byte !== openBrace && byte !== openBracket && byte !== quote;
          if (scalar) {
            index += 1;
            continue;
          }
        }
        if (inString) {
          if (escaped) {
            escaped = false;
            index += 1;
            continue;
          }
          if (nextQuote !== -1 && nextQuote < index) nextQuote = bytes.indexOf(quote, index);
          if (nextBackslash !== -1 && nextBackslash < index) nextBackslash = bytes.indexOf(backslash, index);
          if (nextBackslash !== -1 && (nextQuote === -1 || nextBackslash < nextQuote)) {
            // Skip the escaped byte, which may be the first of the next chunk.
            escaped = true;
            index = nextBackslash + 1;
            continue;
          }
          if (nextQuote === -1) {
            index = length;
            break;
          }
          inString = false;
          index = nextQuote + 1;
          if (depth === 0) emit(bytes.subarray(start, index));
          continue;
        }
        const byte = bytes[index]!;
        if (scalar) {
          if (byte === comma || byte === closeBracket || isWhitespace(byte)) {
            scalar = false;
            emit(bytes.subarray(start, index));
            // The delimiter is read again outside the element.
            continue;
          }
          index += 1;
          continue;
        }
        index += 1;
        if (byte === quote) inString = true;
        else if (byte === openBrace || byte === openBracket) depth += 1;
        else if (byte === closeBrace || byte === closeBracket) {
          depth -= 1;
          if (depth === 0) emit(bytes.subarray(start, index));
        }
      }
      if (state === "element" && start !== -1 && start < length) pieces.push(bytes.slice(start));
    },
  };
}
