import type { FakeEmbeddingsUsage } from "../fake-llm-answer";

/** A deterministic unit-ish vector, so repeated runs and snapshots see the same numbers. */
function vector(options: { index: number; dimensions: number }): number[] {
  return Array.from({ length: options.dimensions }, (_, position) => Math.fround(Math.sin(options.index * 7 + position + 1) / 2));
}

/** Float32 little-endian bytes in base64: what OpenAI sends for `encoding_format: "base64"` (the openai SDK's default). */
function base64Vector(values: number[]): string {
  const floats = new Float32Array(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

/** An embeddings body: `object: "list"`, one embedding per input, the usage. */
export function synthesizeEmbeddingsBody(options: {
  usage: FakeEmbeddingsUsage;
  model: string;
  inputs: number;
  dimensions: number;
  base64: boolean;
}): string {
  return JSON.stringify({
    object: "list",
    data: Array.from({ length: options.inputs }, (_, index) => {
      const values = vector({ index, dimensions: options.dimensions });
      return { object: "embedding", index, embedding: options.base64 ? base64Vector(values) : values };
    }),
    model: options.model,
    usage: { prompt_tokens: options.usage.prompt_tokens, total_tokens: options.usage.prompt_tokens },
  });
}
