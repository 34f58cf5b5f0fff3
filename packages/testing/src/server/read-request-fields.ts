import { asRecord } from "../util/as-record";
import type { RecordedRequest } from "./recorded-request";

/** The few request fields that shape a synthesised answer. */
export interface RequestFields {
  /** `model` from the body, if it is a string. */
  model: string | undefined;
  /** `stream: true` in the body. */
  stream: boolean;
  /** `stream_options.include_usage: true` in the body. */
  includeUsage: boolean;
  /** Number of embeddings inputs: 1 for a string or a single token array, else the array length. */
  inputs: number;
  /** `encoding_format: "base64"` in the body. */
  base64: boolean;
}

/** Reads the fields that shape an answer from a recorded request, tolerating any body. */
export function readRequestFields(request: RecordedRequest): RequestFields {
  const body = asRecord(request.json) ?? {};
  const input = body.input;
  let inputs = 1;
  // A flat array of numbers is one pre-tokenised input, not many.
  if (Array.isArray(input) && input.length > 0 && !input.every((item) => typeof item === "number")) inputs = input.length;
  return {
    model: typeof body.model === "string" ? body.model : undefined,
    stream: body.stream === true,
    includeUsage: asRecord(body.stream_options)?.include_usage === true,
    inputs,
    base64: body.encoding_format === "base64",
  };
}
