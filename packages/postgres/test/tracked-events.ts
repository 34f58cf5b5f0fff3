import type { TrackOptions, UsageEvent, UsagePilot } from "@usagepilot/core";
import { testTokens } from "@usagepilot/core/test";

const hour = 3_600_000;
/** Six hours that cross from March into April 2026: two monthly partitions. */
const start = Date.UTC(2026, 2, 31, 21);

/** A varied, deterministic `usage.track` call: measured and unmeasured, priced and unpriced, with units. */
export function trackOptions(index: number): TrackOptions<Record<string, string>> {
  const input = 50 + ((index * 37) % 4000);
  const output = (index * 13) % 900;
  return {
    timestamp: new Date(start + ((index * 7919) % (6 * hour))),
    dimensions: {
      organization_id: ["acme", "globex", "initech"][index % 3]!,
      user_id: ["ana", "ben", "cara", "o'brien"][index % 4]!,
      feature: index % 2 === 0 ? "chat" : null,
    },
    model: index % 5 === 0 ? "gpt-4o-mini" : "claude-sonnet-4-5",
    ...(index % 9 === 4 ? {} : { usage: testTokens(input, output, Math.floor(input / 3), Math.floor(input / 10), Math.floor(output / 2)) }),
    ...(index % 7 === 0 ? { units: { images: 1 + (index % 3) } } : {}),
    ...(index % 6 === 1 ? {} : { cost: `0.${String((index * 104_729) % 1_000_000).padStart(6, "0")}` }),
  };
}

/** Tracks `count` events from `offset`, yielding to the event loop now and then so writes interleave. */
export async function trackMany(usage: UsagePilot<Record<string, string>>, offset: number, count: number, events: UsageEvent[]): Promise<void> {
  for (let index = offset; index < offset + count; index += 1) {
    events.push(await usage.track(trackOptions(index)));
    if (index % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
