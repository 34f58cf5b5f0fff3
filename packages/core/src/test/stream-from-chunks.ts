/** A byte stream that yields the given chunks one per pull, then ends (or errors, when `error` is set). */
export function streamFromChunks(chunks: readonly Uint8Array[], options: { error?: unknown } = {}): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk !== undefined) controller.enqueue(chunk);
      else if (options.error !== undefined) controller.error(options.error);
      else controller.close();
    },
  });
}
