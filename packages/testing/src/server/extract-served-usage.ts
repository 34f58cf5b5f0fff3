import { readSseData } from "../sse/read-sse-data";
import { asRecord } from "../util/as-record";
import { safeParseJson } from "../util/safe-parse-json";

/** The usage object of one parsed payload, wherever the provider puts it. */
function usageOf(value: unknown): Record<string, unknown> | undefined {
  const record = asRecord(value);
  if (record === undefined) return undefined;
  return asRecord(record.usage) ?? asRecord(asRecord(record.response)?.usage) ?? asRecord(asRecord(record.message)?.usage) ?? asRecord(record.usageMetadata);
}

/** The last non-null usage among payloads; streams report cumulative snapshots, so the last one counts. */
function lastUsage(payloads: unknown[]): Record<string, unknown> | null {
  let usage: Record<string, unknown> | null = null;
  for (const payload of payloads) usage = usageOf(payload) ?? usage;
  return usage;
}

/**
 * The usage object that the written bytes actually carried, read back from the wire bytes rather
 * than from the script, so a cut or client-aborted stream reports only what went out.
 */
export function extractServedUsage(options: { contentType: string; bytes: Uint8Array }): Record<string, unknown> | null {
  const text = new TextDecoder().decode(options.bytes);
  if (options.contentType.includes("text/event-stream")) {
    const payloads = readSseData(text).map((data) => safeParseJson(data));
    return lastUsage(payloads.flatMap((parsed) => (parsed.ok ? [parsed.value] : [])));
  }
  const parsed = safeParseJson(text);
  if (!parsed.ok) return null;
  return Array.isArray(parsed.value) ? lastUsage(parsed.value) : lastUsage([parsed.value]);
}
