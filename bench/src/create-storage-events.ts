import { createEventId, type UsageEvent } from "@usagepilot/core";

/** Options of `createStorageEvents`. */
export interface CreateStorageEventsOptions {
  /** How many events. */
  count: number;
  /** The first event's time; the others follow in order, evenly spaced. */
  from: Date;
  /** The span the events cover, in milliseconds. */
  spanMs: number;
  /** Seed of the pseudo-random choices, so every run stores the same rows. */
  seed?: number;
}

/** The tenant shape of every storage benchmark: 200 organisations × 50 users, 5 models. */
export const storageShape = {
  organizations: 200,
  usersPerOrganization: 50,
  models: ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "gpt-4.1", "o3-mini"],
} as const;

/** A small, fast, seeded PRNG (mulberry32); returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A decimal string with 10 fractional digits from a count of 1e-10 dollars: exact, no float on the way. */
function formatNanoDollars(tenths: bigint): string {
  const text = tenths.toString().padStart(11, "0");
  return `${text.slice(0, -10)}.${text.slice(-10)}`;
}

/**
 * Realistic OpenAI chat events in time order: a tenant per event (organisation, user), one of five models
 * (the cheap ones more often), cached input on a third, reasoning on o3-mini, a web search unit on 3%,
 * 2% failed and unmeasured, 1% without a price, request ids. Every event passes `validateUsageEvent`.
 */
export function createStorageEvents(options: CreateStorageEventsOptions): UsageEvent[] {
  const random = createRandom(options.seed ?? 17);
  const pick = (size: number) => Math.floor(random() * size);
  const modelWeights = [0.4, 0.2, 0.2, 0.1, 0.1];
  const events: UsageEvent[] = [];
  const step = options.spanMs / options.count;
  for (let index = 0; index < options.count; index += 1) {
    const time = options.from.getTime() + Math.floor(index * step);
    const organization = pick(storageShape.organizations);
    const user = pick(storageShape.usersPerOrganization);
    let draw = random();
    let modelIndex = 0;
    while (modelIndex < modelWeights.length - 1 && draw >= modelWeights[modelIndex]!) {
      draw -= modelWeights[modelIndex]!;
      modelIndex += 1;
    }
    const model = storageShape.models[modelIndex]!;
    const failed = random() < 0.02;
    const inputTokens = 50 + pick(4000);
    const outputTokens = 5 + pick(900);
    const cachedInputTokens = random() < 0.33 ? pick(inputTokens) : 0;
    const reasoningTokens = model === "o3-mini" ? pick(outputTokens) : 0;
    const webSearch = random() < 0.03;
    const priced = random() >= 0.01;
    const streamed = random() < 0.5;
    const latencyMs = 200 + random() * 5000;
    events.push({
      schemaVersion: 1,
      id: createEventId(time),
      timestamp: new Date(time).toISOString(),
      dimensions: { organization_id: `org-${organization}`, user_id: `user-${organization}-${user}` },
      provider: "openai",
      operation: "chat",
      model,
      usage: failed
        ? null
        : {
            inputTokens,
            outputTokens,
            cachedInputTokens,
            cacheWriteInputTokens: 0,
            reasoningTokens,
            ...(streamed && random() < 0.1 ? { audioInputTokens: pick(inputTokens) } : {}),
          },
      units: webSearch ? { web_search: 1 } : {},
      cost:
        failed || !priced
          ? null
          : {
              amount: formatNanoDollars(BigInt(inputTokens - cachedInputTokens) * 1500n + BigInt(cachedInputTokens) * 750n + BigInt(outputTokens) * 6000n),
              currency: "USD",
              priceSource: `genai-prices@0.1.8:openai/${model}`,
            },
      accuracy: "reported",
      status: failed ? "error" : "ok",
      streamed,
      latencyMs,
      providerRequestId: `req_${Math.floor(random() * 2 ** 48).toString(16).padStart(12, "0")}${index.toString(16)}`,
    });
  }
  return events;
}
