import type { AnthropicCacheCreation, AnthropicWireIteration, AnthropicWireUsage } from "./anthropic-wire-usage";

/** The result of reading a usage object: absent, read, or refused with the reason. */
export type AnthropicUsageRead = { ok: true; usage: AnthropicWireUsage } | { ok: false; problem: string } | undefined;

class Invalid extends Error {}

function recordOf(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw new Invalid(`${where} is not an object`);
  return value as Record<string, unknown>;
}

// A count that is present must be a non-negative safe integer: a usage object that lies about one number
// is not trusted for the others.
function countOf(record: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = record[key];
  if (value === null || value === undefined) return undefined;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw new Invalid(`${where}.${key} is not a non-negative integer`);
}

function cacheCreationOf(value: unknown, where: string): AnthropicCacheCreation | undefined {
  const record = recordOf(value, where);
  if (!record) return undefined;
  const split: AnthropicCacheCreation = {};
  const fiveMinutes = countOf(record, "ephemeral_5m_input_tokens", where);
  const oneHour = countOf(record, "ephemeral_1h_input_tokens", where);
  if (fiveMinutes !== undefined) split.ephemeral_5m_input_tokens = fiveMinutes;
  if (oneHour !== undefined) split.ephemeral_1h_input_tokens = oneHour;
  return split;
}

function iterationOf(value: unknown, index: number): AnthropicWireIteration {
  const where = `usage.iterations[${index}]`;
  const record = recordOf(value, where);
  if (!record) throw new Invalid(`${where} is missing`);
  const input = countOf(record, "input_tokens", where);
  const output = countOf(record, "output_tokens", where);
  // A pass without its own counts cannot be summed; the whole list is then distrusted.
  if (input === undefined || output === undefined) throw new Invalid(`${where} lacks input_tokens or output_tokens`);
  const iteration: AnthropicWireIteration = { type: typeof record.type === "string" ? record.type : "unknown", input_tokens: input, output_tokens: output };
  const cacheRead = countOf(record, "cache_read_input_tokens", where);
  const cacheWrite = countOf(record, "cache_creation_input_tokens", where);
  const split = cacheCreationOf(record.cache_creation, `${where}.cache_creation`);
  if (cacheRead !== undefined) iteration.cache_read_input_tokens = cacheRead;
  if (cacheWrite !== undefined) iteration.cache_creation_input_tokens = cacheWrite;
  if (split) iteration.cache_creation = split;
  return iteration;
}

function serverToolsOf(value: unknown): Record<string, number> | undefined {
  const record = recordOf(value, "usage.server_tool_use");
  if (!record) return undefined;
  const tools: Record<string, number> = {};
  // Every `*_requests` count is a per-request server tool (web search, web fetch, and those to come).
  for (const key of Object.keys(record)) {
    if (!key.endsWith("_requests")) continue;
    const count = countOf(record, key, "usage.server_tool_use");
    if (count !== undefined) tools[key] = count;
  }
  return tools;
}

/**
 * Validates the fields UsagePilot reads from an Anthropic `usage` object (message, `message_start` or
 * `message_delta`), hand-written because it runs on every metered call. Only fields present on the wire
 * are set, so a stream's updates can be laid over its start field by field. Returns undefined when
 * there is no usage object at all.
 */
export function readAnthropicUsage(value: unknown): AnthropicUsageRead {
  try {
    const record = recordOf(value, "usage");
    if (!record) return undefined;
    const usage: AnthropicWireUsage = {};
    for (const key of ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"] as const) {
      const count = countOf(record, key, "usage");
      if (count !== undefined) usage[key] = count;
    }
    const split = cacheCreationOf(record.cache_creation, "usage.cache_creation");
    if (split) usage.cache_creation = split;
    const details = recordOf(record.output_tokens_details, "usage.output_tokens_details");
    const thinking = details ? countOf(details, "thinking_tokens", "usage.output_tokens_details") : undefined;
    if (thinking !== undefined) usage.thinking_tokens = thinking;
    const tools = serverToolsOf(record.server_tool_use);
    if (tools) usage.server_tool_use = tools;
    if (record.iterations !== null && record.iterations !== undefined) {
      if (!Array.isArray(record.iterations)) throw new Invalid("usage.iterations is not an array");
      usage.iterations = record.iterations.map(iterationOf);
    }
    return { ok: true, usage };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, problem: error.message };
    throw error;
  }
}
