const defaultWords = ["Hello", "from", "the", "fake", "server"];

/**
 * The text deltas of a synthesised stream, one per chunk. Without `content`, each chunk carries one
 * word of "Hello from the fake server" (cycled), so a 1,000-chunk stream has 1,000 non-empty
 * deltas. With `content`, it is cut into `chunks` nearly equal runs of code points (some empty when
 * there are more chunks than characters), so the deltas always join back to `content`.
 */
export function splitContent(options: { content?: string; chunks: number }): string[] {
  const { content, chunks } = options;
  if (!Number.isInteger(chunks) || chunks < 0) throw new RangeError(`chunks must be a non-negative integer, got ${chunks}`);
  if (content === undefined) {
    return Array.from({ length: chunks }, (_, index) => `${index === 0 ? "" : " "}${defaultWords[index % defaultWords.length]}`);
  }
  if (chunks === 0) return [];
  // Code points, not UTF-16 units, so a delta never ends in half a surrogate pair.
  const characters = Array.from(content);
  return Array.from({ length: chunks }, (_, index) =>
    characters.slice(Math.floor((index * characters.length) / chunks), Math.floor(((index + 1) * characters.length) / chunks)).join(""),
  );
}
