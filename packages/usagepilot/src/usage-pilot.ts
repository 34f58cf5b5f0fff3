import { type Dimensions, UsagePilot as CoreUsagePilot, type UsagePilotOptions as CoreUsagePilotOptions } from "@usagepilot/core";
import { defaultProviders } from "./default-providers";

/** Options of `UsagePilot` from the umbrella package: like core's, with every first-party provider by default. */
export interface UsagePilotOptions<D extends Dimensions> extends Omit<CoreUsagePilotOptions<D>, "providers"> {
  /** Provider adapters, tried in order. Default: every first-party adapter (OpenAI and compatible hosts). */
  providers?: CoreUsagePilotOptions<D>["providers"];
}

/**
 * UsagePilot with every first-party provider wired in.
 *
 * @example
 * const usage = new UsagePilot<{ user_id: string }>({ storage: new MemoryStorage() });
 * const openai = new OpenAI({ fetch: usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") })) });
 */
export class UsagePilot<D extends Dimensions = Dimensions> extends CoreUsagePilot<D> {
  constructor(options: UsagePilotOptions<D>) {
    super({ ...options, providers: options.providers ?? defaultProviders() });
  }
}
