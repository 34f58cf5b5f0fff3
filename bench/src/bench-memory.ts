import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { safeParseJson, type UsageEvent } from "usagepilot";

/** Buffered-event counts the child measures the heap at; the first is the empty buffer (the baseline). */
export interface MemorySizes {
  counts: readonly number[];
}

/** Sizes for the recorded run: up to 40,000 events (four times the default `maxBufferSize`). */
export const fullMemorySizes: MemorySizes = { counts: [0, 10_000, 20_000, 30_000, 40_000] };

/** Sizes for a smoke run (`--quick`). */
export const quickMemorySizes: MemorySizes = { counts: [0, 2_000, 4_000] };

/** What the child process prints. */
export interface MemoryChildOutput {
  /** Events held by the writer (buffered plus in the blocked write) and the heap used after GC. */
  points: { events: number; heapUsed: number }[];
  /** Calls made before storage was blocked. */
  warmupCalls: number;
  /** Events stored during the warm-up, before storage was blocked. */
  stored: number;
  captured: number;
  errors: string[];
  /** The last event captured, to show what one holds. */
  sample: UsageEvent | null;
}

/** Results of the memory benchmark. */
export interface MemoryResults extends MemoryChildOutput {
  sizes: MemorySizes;
  /** Bytes of heap per buffered event: the least-squares slope over every point, baseline included. */
  bytesPerEvent: number;
  /** Problems found; empty when every call was buffered and nothing was reported. */
  problems: string[];
}

/** The least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  let numerator = 0;
  let denominator = 0;
  for (const point of points) {
    numerator += (point.x - meanX) * (point.y - meanY);
    denominator += (point.x - meanX) ** 2;
  }
  return numerator / denominator;
}

/**
 * Measures the heap each buffered event costs: a child process (`node --expose-gc`, so nothing else of
 * this run is in its heap) meters recorded OpenAI calls through UsagePilot (umbrella defaults: price book
 * and tokenizer on) while its storage's writes hang, and reads the heap after GC at each count, the
 * first being the empty buffer after a warm-up.
 */
export async function benchMemory(sizes: MemorySizes, log: (line: string) => void): Promise<MemoryResults> {
  log(`memory: heap after GC with ${sizes.counts.join(", ")} events buffered…`);
  const child = fileURLToPath(new URL("./bench-memory-child.js", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", child, ...sizes.counts.map(String)], { maxBuffer: 16 * 1024 * 1024 });
  const parsed = safeParseJson(stdout);
  if (!parsed.ok) throw new Error(`the memory child printed no result: ${parsed.error.message}`);
  const output = parsed.value as MemoryChildOutput;
  const problems = output.errors.map((error) => `onError: ${error}`);
  if (output.stored !== output.warmupCalls) problems.push(`${output.stored} events stored for ${output.warmupCalls} warm-up calls`);
  output.points.forEach((point, index) => {
    if (point.events !== sizes.counts[index]) problems.push(`${point.events} events buffered where ${String(sizes.counts[index])} calls were made`);
  });
  return { ...output, sizes, bytesPerEvent: slope(output.points.map((point) => ({ x: point.events, y: point.heapUsed }))), problems };
}
