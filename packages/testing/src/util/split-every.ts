/** Cuts bytes into consecutive pieces of `size` bytes (the last may be shorter); views, not copies. */
export function splitEvery(options: { bytes: Uint8Array; size: number }): Uint8Array[] {
  const { bytes, size } = options;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`splitEvery must be a positive integer, got ${size}`);
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) pieces.push(bytes.subarray(offset, offset + size));
  return pieces;
}
