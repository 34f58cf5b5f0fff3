/** One measurable quantity in the genai-prices unit model. */
export interface PriceUnit {
  /** The usage key, e.g. "cache_read_tokens". */
  readonly usageKey: string;
  /** The price key in the data, e.g. "cache_read_mtok". */
  readonly priceKey: string;
  /** How many of the unit one price covers: 1,000,000 tokens, 1,000 searches, 3,600 seconds. */
  readonly per: bigint;
  /** What the unit is; a unit whose dimensions include another's is a subset of it (more specific). */
  readonly dimensions: Readonly<Record<string, string>>;
}

// The unit registry of @pydantic/genai-prices 0.1.8 (its `prices/units.yml`), which the package keeps
// private. Copied as data so that the hierarchy (audio input tokens ⊂ input tokens, cache reads ⊂ input
// tokens, 1-hour cache writes ⊂ cache writes...) decides which tokens take which price, as theirs does.
// A test checks that every price key in the bundled data is one of these.
const table: Record<string, { priceKey: string; per: number; dimensions: Record<string, string> }> = {
  audio_seconds: { priceKey: "audio_hours", per: 3600, dimensions: { family: "durations", modality: "audio" } },
  cache_audio_read_tokens: { priceKey: "cache_audio_read_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "audio", token_type: "cache_read" } },
  cache_audio_write_1h_tokens: { priceKey: "cache_audio_write_1h_mtok", per: 1_000_000, dimensions: { cache_ttl: "1h", direction: "input", family: "tokens", modality: "audio", token_type: "cache_write" } },
  cache_audio_write_5m_tokens: { priceKey: "cache_audio_write_5m_mtok", per: 1_000_000, dimensions: { cache_ttl: "5m", direction: "input", family: "tokens", modality: "audio", token_type: "cache_write" } },
  cache_audio_write_tokens: { priceKey: "cache_audio_write_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "audio", token_type: "cache_write" } },
  cache_image_read_tokens: { priceKey: "cache_image_read_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "image", token_type: "cache_read" } },
  cache_image_write_1h_tokens: { priceKey: "cache_image_write_1h_mtok", per: 1_000_000, dimensions: { cache_ttl: "1h", direction: "input", family: "tokens", modality: "image", token_type: "cache_write" } },
  cache_image_write_5m_tokens: { priceKey: "cache_image_write_5m_mtok", per: 1_000_000, dimensions: { cache_ttl: "5m", direction: "input", family: "tokens", modality: "image", token_type: "cache_write" } },
  cache_image_write_tokens: { priceKey: "cache_image_write_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "image", token_type: "cache_write" } },
  cache_read_tokens: { priceKey: "cache_read_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", token_type: "cache_read" } },
  cache_text_read_tokens: { priceKey: "cache_text_read_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "text", token_type: "cache_read" } },
  cache_text_write_1h_tokens: { priceKey: "cache_text_write_1h_mtok", per: 1_000_000, dimensions: { cache_ttl: "1h", direction: "input", family: "tokens", modality: "text", token_type: "cache_write" } },
  cache_text_write_5m_tokens: { priceKey: "cache_text_write_5m_mtok", per: 1_000_000, dimensions: { cache_ttl: "5m", direction: "input", family: "tokens", modality: "text", token_type: "cache_write" } },
  cache_text_write_tokens: { priceKey: "cache_text_write_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "text", token_type: "cache_write" } },
  cache_video_read_tokens: { priceKey: "cache_video_read_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "video", token_type: "cache_read" } },
  cache_video_write_1h_tokens: { priceKey: "cache_video_write_1h_mtok", per: 1_000_000, dimensions: { cache_ttl: "1h", direction: "input", family: "tokens", modality: "video", token_type: "cache_write" } },
  cache_video_write_5m_tokens: { priceKey: "cache_video_write_5m_mtok", per: 1_000_000, dimensions: { cache_ttl: "5m", direction: "input", family: "tokens", modality: "video", token_type: "cache_write" } },
  cache_video_write_tokens: { priceKey: "cache_video_write_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "video", token_type: "cache_write" } },
  cache_write_1h_tokens: { priceKey: "cache_write_1h_mtok", per: 1_000_000, dimensions: { cache_ttl: "1h", direction: "input", family: "tokens", token_type: "cache_write" } },
  cache_write_5m_tokens: { priceKey: "cache_write_5m_mtok", per: 1_000_000, dimensions: { cache_ttl: "5m", direction: "input", family: "tokens", token_type: "cache_write" } },
  cache_write_tokens: { priceKey: "cache_write_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", token_type: "cache_write" } },
  code_executions: { priceKey: "code_executions_kcount", per: 1_000, dimensions: { family: "tool_calls", tool_type: "code_execution" } },
  input_annotated_document_pages: { priceKey: "input_annotated_document_kpages", per: 1_000, dimensions: { direction: "input", family: "document_pages", page_type: "annotated" } },
  input_audio_seconds: { priceKey: "input_audio_hours", per: 3600, dimensions: { direction: "input", family: "durations", modality: "audio" } },
  input_audio_tokens: { priceKey: "input_audio_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "audio" } },
  input_audio_tool_tokens: { priceKey: "input_audio_tool_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "audio", token_type: "tool" } },
  input_characters: { priceKey: "input_mchars", per: 1_000_000, dimensions: { direction: "input", family: "characters" } },
  input_document_pages: { priceKey: "input_document_kpages", per: 1_000, dimensions: { direction: "input", family: "document_pages" } },
  input_image_tokens: { priceKey: "input_image_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "image" } },
  input_image_tool_tokens: { priceKey: "input_image_tool_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "image", token_type: "tool" } },
  input_pixels: { priceKey: "input_gpixels", per: 1_000_000_000, dimensions: { direction: "input", family: "pixels" } },
  input_text_messages: { priceKey: "input_text_messages_kcount", per: 1_000, dimensions: { direction: "input", family: "messages", modality: "text" } },
  input_text_tokens: { priceKey: "input_text_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "text" } },
  input_text_tool_tokens: { priceKey: "input_text_tool_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "text", token_type: "tool" } },
  input_tokens: { priceKey: "input_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens" } },
  input_tool_tokens: { priceKey: "input_tool_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", token_type: "tool" } },
  input_video_tokens: { priceKey: "input_video_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "video" } },
  input_video_tool_tokens: { priceKey: "input_video_tool_mtok", per: 1_000_000, dimensions: { direction: "input", family: "tokens", modality: "video", token_type: "tool" } },
  output_audio_citation_tokens: { priceKey: "output_audio_citation_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "audio", token_type: "citation" } },
  output_audio_reasoning_tokens: { priceKey: "output_audio_reasoning_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "audio", token_type: "reasoning" } },
  output_audio_seconds: { priceKey: "output_audio_hours", per: 3600, dimensions: { direction: "output", family: "durations", modality: "audio" } },
  output_audio_tokens: { priceKey: "output_audio_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "audio" } },
  output_citation_tokens: { priceKey: "output_citation_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", token_type: "citation" } },
  output_image_citation_tokens: { priceKey: "output_image_citation_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "image", token_type: "citation" } },
  output_image_reasoning_tokens: { priceKey: "output_image_reasoning_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "image", token_type: "reasoning" } },
  output_image_tokens: { priceKey: "output_image_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "image" } },
  output_reasoning_tokens: { priceKey: "output_reasoning_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", token_type: "reasoning" } },
  output_text_citation_tokens: { priceKey: "output_text_citation_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "text", token_type: "citation" } },
  output_text_reasoning_tokens: { priceKey: "output_text_reasoning_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "text", token_type: "reasoning" } },
  output_text_tokens: { priceKey: "output_text_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "text" } },
  output_tokens: { priceKey: "output_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens" } },
  output_video_citation_tokens: { priceKey: "output_video_citation_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "video", token_type: "citation" } },
  output_video_reasoning_tokens: { priceKey: "output_video_reasoning_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "video", token_type: "reasoning" } },
  output_video_tokens: { priceKey: "output_video_mtok", per: 1_000_000, dimensions: { direction: "output", family: "tokens", modality: "video" } },
  requests: { priceKey: "requests_kcount", per: 1_000, dimensions: { family: "requests" } },
  rerank_searches: { priceKey: "rerank_searches_kcount", per: 1_000, dimensions: { family: "rerank" } },
  social_searches: { priceKey: "social_searches_kcount", per: 1_000, dimensions: { family: "tool_calls", tool_type: "social_search" } },
  storage_searches: { priceKey: "storage_searches_kcount", per: 1_000, dimensions: { family: "tool_calls", tool_type: "storage_search" } },
  web_searches: { priceKey: "web_searches_kcount", per: 1_000, dimensions: { family: "tool_calls", tool_type: "web_search" } },
};

function canonical(dimensions: Readonly<Record<string, string>>): string {
  return Object.keys(dimensions)
    .sort()
    .map((key) => `${key}=${dimensions[key]}`)
    .join(",");
}

const byUsageKey = new Map<string, PriceUnit>();
const byPriceKey = new Map<string, PriceUnit>();
const byDimensions = new Map<string, PriceUnit>();
for (const [usageKey, entry] of Object.entries(table)) {
  const unit: PriceUnit = Object.freeze({ usageKey, priceKey: entry.priceKey, per: BigInt(entry.per), dimensions: Object.freeze({ ...entry.dimensions }) });
  byUsageKey.set(usageKey, unit);
  byPriceKey.set(unit.priceKey, unit);
  byDimensions.set(canonical(unit.dimensions), unit);
}

/** The unit a usage key names ("input_tokens"), or undefined. */
export function unitForUsageKey(usageKey: string): PriceUnit | undefined {
  return byUsageKey.get(usageKey);
}

/** A unit the pricing code names: the bundled table must have it, so its absence is a bug, not bad data. */
function named(usageKey: string): PriceUnit {
  const unit = byUsageKey.get(usageKey);
  if (!unit) throw new Error(`the price unit table has no "${usageKey}"`);
  return unit;
}

/** The units the pricing code refers to by name, resolved once and shared. */
export const namedUnits = {
  inputTokens: named("input_tokens"),
  outputTokens: named("output_tokens"),
  cacheReadTokens: named("cache_read_tokens"),
  cacheWriteTokens: named("cache_write_tokens"),
  cacheWrite1hTokens: named("cache_write_1h_tokens"),
  reasoningTokens: named("output_reasoning_tokens"),
  audioInputTokens: named("input_audio_tokens"),
  cachedAudioInputTokens: named("cache_audio_read_tokens"),
  audioOutputTokens: named("output_audio_tokens"),
  imageInputTokens: named("input_image_tokens"),
  requests: named("requests"),
  audioSeconds: named("audio_seconds"),
  inputAudioSeconds: named("input_audio_seconds"),
} as const;

/** The unit a price key of the data names ("input_mtok"), or undefined for a key this package does not know. */
export function unitForPriceKey(priceKey: string): PriceUnit | undefined {
  return byPriceKey.get(priceKey);
}

// Which units each unit is a strict subset of, worked out once: pricing asks this for every unit of every event.
const supersets = new Map<PriceUnit, Set<PriceUnit>>();
for (const inner of byUsageKey.values()) {
  const outers = new Set<PriceUnit>();
  for (const outer of byUsageKey.values()) {
    if (inner !== outer && Object.entries(outer.dimensions).every(([key, value]) => inner.dimensions[key] === value)) outers.add(outer);
  }
  supersets.set(inner, outers);
}

/** Whether `inner` is a strict subset of `outer` (it carries every dimension of `outer`, and more). */
export function isSubsetUnit(inner: PriceUnit, outer: PriceUnit): boolean {
  return supersets.get(inner)?.has(outer) ?? false;
}

/** Whether two units can overlap: no dimension on which they disagree (cache reads and audio input can). */
export function canOverlap(a: PriceUnit, b: PriceUnit): boolean {
  return overlapOf(a, b) !== disjoint;
}

/** The unit that is exactly the overlap of two units (cache reads ∩ audio input = cached audio), or undefined. */
export function overlapUnit(a: PriceUnit, b: PriceUnit): PriceUnit | undefined {
  const overlap = overlapOf(a, b);
  return overlap === disjoint || overlap === unnamed ? undefined : overlap;
}

// The overlap of each pair of units asked about, worked out once per pair: pricing asks for the same few
// pairs on every event. `disjoint`: the units disagree on a dimension; `unnamed`: they overlap, but no
// unit of the registry is exactly that overlap.
const disjoint = Symbol("disjoint");
const unnamed = Symbol("unnamed");
const overlaps = new Map<PriceUnit, Map<PriceUnit, PriceUnit | typeof disjoint | typeof unnamed>>();

function overlapOf(a: PriceUnit, b: PriceUnit): PriceUnit | typeof disjoint | typeof unnamed {
  let withA = overlaps.get(a);
  if (!withA) {
    withA = new Map();
    overlaps.set(a, withA);
  }
  let overlap = withA.get(b);
  if (overlap === undefined) {
    const agree = Object.entries(a.dimensions).every(([key, value]) => b.dimensions[key] === undefined || b.dimensions[key] === value);
    overlap = agree ? (byDimensions.get(canonical({ ...a.dimensions, ...b.dimensions })) ?? unnamed) : disjoint;
    withA.set(b, overlap);
  }
  return overlap;
}
