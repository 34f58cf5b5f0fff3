import type { CreateFetchOptions } from "../fetch/create-metered-fetch";
import type { UsageEvent } from "../event/usage-event";
import type { ProviderAdapterV1 } from "../provider/provider-adapter-v1";
import { MemoryStorage } from "../storage/memory-storage";
import type { TokenizerV1 } from "../tokenizer/tokenizer-v1";
import type { LimitsOptions } from "../limits/limits-options";
import { UsagePilot } from "../usage-pilot";

/** The dimensions of DESIGN.md's example, read from `x-user-id`, `x-org-id` and `x-feature`. */
export type HarnessDimensions = { user_id: string; organization_id?: string; feature?: string };

/** A UsagePilot metering into memory, and its metered fetch built as DESIGN.md builds it. */
export interface MeteringHarness {
  storage: MemoryStorage;
  usage: UsagePilot<HarnessDimensions>;
  /** Everything reported to `onError`. */
  errors: unknown[];
  fetchWithUsage: typeof fetch;
  /** Flushes and returns every stored event, waiting up to 5 s for `count` of them (bodies still ending). */
  events(count?: number): Promise<readonly UsageEvent[]>;
  /** Makes one call, reads its body to the end, and returns the event it recorded. */
  recordOne(call: () => Promise<Response>): Promise<UsageEvent>;
  shutdown(): Promise<void>;
}

/**
 * The metering side of a provider package's tests: point a real SDK at a fake server with
 * `harness.fetchWithUsage` and read back `await harness.events()`.
 *
 * @example
 * const harness = createMeteringHarness({ providers: [createOpenAIAdapter({ baseURLs: [{ baseURL, provider: "openai" }] })] });
 */
export function createMeteringHarness(options: { providers: readonly ProviderAdapterV1[]; tokenizers?: TokenizerV1; fetch?: CreateFetchOptions; limits?: LimitsOptions<HarnessDimensions> }): MeteringHarness {
  const storage = new MemoryStorage();
  const errors: unknown[] = [];
  const usage = new UsagePilot<HarnessDimensions>({
    storage,
    providers: options.providers,
    ...(options.tokenizers ? { tokenizers: options.tokenizers } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    onError: (error) => errors.push(error),
  });
  const fetchWithUsage = usage.createFetch(
    (request) => ({
      user_id: request.headers.get("x-user-id") || "anonymous",
      organization_id: request.headers.get("x-org-id"),
      feature: request.headers.get("x-feature") as HarnessDimensions["feature"] | null,
    }),
    options.fetch,
  );
  return {
    storage,
    usage,
    errors,
    fetchWithUsage,
    async events(count = 0) {
      const deadline = Date.now() + 5_000;
      await usage.flush();
      while (storage.events.length < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await usage.flush();
      }
      return storage.events;
    },
    async recordOne(call) {
      const before = storage.events.length;
      await (await call()).arrayBuffer();
      const events = await this.events(before + 1);
      return events[events.length - 1]!;
    },
    shutdown: () => usage.shutdown(),
  };
}

/**
 * What an event says was measured — model, usage, units, status, accuracy — which must not depend on how
 * the answer was framed (JSON, SSE, a streamed JSON array) or split.
 */
export function measuredBy(event: UsageEvent): Pick<UsageEvent, "model" | "usage" | "units" | "status" | "accuracy"> {
  return { model: event.model, usage: event.usage, units: event.units, status: event.status, accuracy: event.accuracy };
}
