import { MemoryStorage, QuotaExceededError, UsagePilot, type LimitsOptions, type QuotaStoreV1 } from "@usagepilot/core";
import { createOpenAIAdapter } from "@usagepilot/providers-openai";
import type { FakeLlmServer } from "@usagepilot/testing";
import OpenAI from "openai";

export type Dimensions = { organization_id?: string; user_id?: string; feature?: string };

/** One app instance: UsagePilot with limits on `store`, and the official OpenAI SDK through its metered fetch. */
export function createInstance(options: { server: FakeLlmServer; store: QuotaStoreV1; storage?: MemoryStorage; limits: Omit<LimitsOptions<Dimensions>, "store"> }) {
  const storage = options.storage ?? new MemoryStorage();
  const errors: unknown[] = [];
  const usage = new UsagePilot<Dimensions>({
    storage,
    providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: options.server.baseURL, provider: "openai" }] })],
    onError: (error) => errors.push(error),
    limits: { ...options.limits, store: options.store },
  });
  const fetchWithUsage = usage.createFetch((request) => ({ organization_id: request.headers.get("x-org-id"), user_id: request.headers.get("x-user-id"), feature: request.headers.get("x-feature") }));
  const openai = new OpenAI({ apiKey: "sk-test", baseURL: options.server.baseURL, fetch: fetchWithUsage, maxRetries: 0 });
  return { storage, errors, usage, openai };
}

/** A chat call for organisation `org`; resolves to its completion. */
export function chat(openai: OpenAI, org: string, maxTokens = 20) {
  return openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Count the words in this short sentence ok" }], max_tokens: maxTokens }, { headers: { "x-org-id": org, "x-user-id": "u1" } });
}

/** What a refused SDK call threw: the SDK wraps its fetch's error in APIConnectionError, with ours as the cause. */
export function refusalOf(thrown: unknown): unknown {
  return thrown instanceof OpenAI.APIConnectionError ? thrown.cause : thrown;
}

/** The QuotaExceededError an SDK call was refused with; fails when it was anything else. */
export async function refused(call: Promise<unknown>): Promise<QuotaExceededError> {
  const error = refusalOf(await call.then(() => new Error("the call was not refused"), (thrown: unknown) => thrown));
  if (!QuotaExceededError.isInstance(error)) throw error;
  return error;
}
