import { get_encoding, type Tiktoken, type TiktokenEncoding } from "tiktoken";

// Building an encoder parses its whole vocabulary into WASM memory (0.3–0.5 s here, megabytes),
// so each is built once per process and kept: there are at most a handful of encodings.
const encoders = new Map<TiktokenEncoding, Tiktoken>();

/**
 * The process-wide tiktoken encoder for an encoding, built on first use and never freed. Throws only
 * when tiktoken's WASM cannot load (callers turn that into a null count).
 */
export function getEncoder(encoding: TiktokenEncoding): Tiktoken {
  let encoder = encoders.get(encoding);
  if (encoder === undefined) {
    encoder = get_encoding(encoding);
    encoders.set(encoding, encoder);
  }
  return encoder;
}

