/**
 * Offsets just after each event of a streamed body: after every blank line (LF LF, CR LF CR LF, CR CR)
 * of a `text/event-stream`, or after every top-level comma of a streamed JSON array (Gemini without
 * `alt=sse`). A body that is neither has none. Used to split streams where events meet, and to splice
 * an error event after the first one.
 */
export function findEventBoundaries(bytes: Uint8Array): number[] {
  let first = 0;
  while (first < bytes.length && (bytes[first] === 32 || bytes[first] === 9 || bytes[first] === 10 || bytes[first] === 13)) first += 1;
  return bytes[first] === 91 /* [ */ ? arrayElementBoundaries(bytes, first) : blankLineBoundaries(bytes);
}

function blankLineBoundaries(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (byte === 10 && bytes[index + 1] === 10) {
      offsets.push(index + 2);
      index += 1;
    } else if (byte === 13 && bytes[index + 1] === 10 && bytes[index + 2] === 13 && bytes[index + 3] === 10) {
      offsets.push(index + 4);
      index += 3;
    } else if (byte === 13 && bytes[index + 1] === 13) {
      offsets.push(index + 2);
      index += 1;
    }
  }
  return offsets;
}

// Depth and string state are tracked byte by byte: UTF-8 continuation bytes never equal an ASCII
// delimiter, so multi-byte characters need no decoding here.
function arrayElementBoundaries(bytes: Uint8Array, start: number): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  for (let index = start; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (inString) {
      if (byte === 92 /* \ */) index += 1;
      else if (byte === 34 /* " */) inString = false;
    } else if (byte === 34) inString = true;
    else if (byte === 91 || byte === 123) depth += 1;
    else if (byte === 93 || byte === 125) depth -= 1;
    else if (byte === 44 /* , */ && depth === 1) offsets.push(index + 1);
  }
  return offsets;
}
