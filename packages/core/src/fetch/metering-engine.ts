import type { DeferredTask } from "../batch/deferred-work";
import type { ResolvedDimensions } from "../dimensions/resolve-dimensions";
import type { UsageEventV1 } from "../event/usage-event-v1";
import type { LimitEnforcer } from "../limits/limit-enforcer";
import type { ProviderAdapterV1 } from "../provider/provider-adapter-v1";
import type { TokenizerV1 } from "../tokenizer/tokenizer-v1";

/** An event as captured, before it is priced: its cost is filled in (in place) when it is recorded. */
export type CapturedEvent = Omit<UsageEventV1, "cost"> & { cost: null };

/** What the metered fetch needs from `UsagePilot`; kept narrow so the fetch can be tested alone. */
export interface MeteringEngine {
  readonly providers: readonly ProviderAdapterV1[];
  /** Counts cut streams' usage when the provider reported none. */
  readonly tokenizer: TokenizerV1 | undefined;
  /** Merges, checks and (by policy) rejects dimensions. Throws only when the policy says reject. */
  resolveDimensions(extracted: Record<string, unknown>, url: string): ResolvedDimensions | Promise<ResolvedDimensions>;
  /** Undefined when the buffer has room; else a promise that resolves when it has (calls wait here). */
  waitForCapacity(): Promise<void> | undefined;
  /** Runs work after the caller has its answer (reading usage, recording). */
  defer(task: DeferredTask): void;
  /** Budgets checked before each call; undefined without `limits`, and then the fetch does no quota work. */
  readonly limits: LimitEnforcer | undefined;
  /** Prices, checks and buffers an event, and returns it as recorded. Never throws. */
  record(event: CapturedEvent): UsageEventV1;
  /** Reports a background problem. Never throws. */
  reportError(error: unknown): void;
  /** Counts a call no adapter claimed. */
  countUnmetered(): void;
  /** A response body started being read; shutdown waits for it until `responseEnded`. */
  responseStarted(): void;
  /** A response counted by `responseStarted` ended; its event is queued with `defer`. */
  responseEnded(): void;
}
