const LF = 0x0a;
const CR = 0x0d;

/**
 * Cuts an SSE body into one piece per event, each piece ending after the blank line that closes the
 * event. Works on bytes, not text, so CRLF, lone CR and any other byte survive exactly: joining the
 * pieces gives the input back. Bytes after the last blank line form a final piece.
 */
export function splitSseEvents(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  // True right after a line terminator: a second terminator there is the blank line ending an event.
  let atLineStart = false;
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte !== CR && byte !== LF) {
      atLineStart = false;
      index += 1;
      continue;
    }
    index += byte === CR && bytes[index + 1] === LF ? 2 : 1;
    if (atLineStart) {
      pieces.push(bytes.subarray(start, index));
      start = index;
      atLineStart = false;
    } else {
      atLineStart = true;
    }
  }
  if (start < bytes.length) pieces.push(bytes.subarray(start));
  return pieces;
}
