import { addDecimal, type Decimal, formatDecimal, multiplyDecimal, parseDecimal, type UsageEvent } from "@usagepilot/core";
import { createTestEvent, testTokens } from "@usagepilot/core/test";

/** A deterministic pseudo-random sequence, so every run bills the same usage. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

/** `count` events over `tenants` organisations, spread over the `spanMs` before `end`, some priced. */
export function usageEvents(options: { count: number; tenants: number; end: Date; spanMs: number; seed?: number; tenantPrefix?: string }): UsageEvent[] {
  const random = seededRandom(options.seed ?? 42);
  const prefix = options.tenantPrefix ?? "org_";
  return Array.from({ length: options.count }, () => {
    const tenant = `${prefix}${Math.floor(random() * options.tenants)}`;
    const input = 1 + Math.floor(random() * 2000);
    const output = Math.floor(random() * 800);
    return createTestEvent({
      timestamp: new Date(options.end.getTime() - 1 - Math.floor(random() * options.spanMs)).toISOString(),
      dimensions: { organization_id: tenant, user_id: `${tenant}_user` },
      usage: testTokens(input, output),
      cost: { amount: `0.${String(input * 3 + output * 7).padStart(6, "0")}`, currency: "USD", priceSource: "test" },
    });
  });
}

/** Tokens per tenant, summed here from the events themselves: the independent side of every comparison. */
export function tokensPerTenant(events: readonly UsageEvent[]): Map<string, string> {
  const totals = new Map<string, bigint>();
  for (const event of events) {
    if (!event.usage) continue;
    const tenant = String(event.dimensions.organization_id);
    totals.set(tenant, (totals.get(tenant) ?? 0n) + BigInt(event.usage.inputTokens + event.usage.outputTokens));
  }
  return new Map([...totals].map(([tenant, value]) => [tenant, value.toString()]));
}

/**
 * Credits per tenant from the events alone, as a billing sync must end up sending them:
 * floor(Σ cost × (1 + markup) × creditsPerUsd), exact decimals.
 */
export function creditsPerTenant(events: readonly UsageEvent[], options: { markup: string; creditsPerUsd: string }): Map<string, string> {
  const totals = new Map<string, Decimal>();
  for (const event of events) {
    if (!event.cost) continue;
    const tenant = String(event.dimensions.organization_id);
    totals.set(tenant, addDecimal(totals.get(tenant) ?? { units: 0n, scale: 0 }, parseDecimal(event.cost.amount)));
  }
  const factor = multiplyDecimal(addDecimal({ units: 1n, scale: 0 }, parseDecimal(options.markup)), parseDecimal(options.creditsPerUsd));
  return new Map(
    [...totals].map(([tenant, cost]) => {
      const exact = multiplyDecimal(cost, factor);
      return [tenant, formatDecimal({ units: exact.units / 10n ** BigInt(exact.scale), scale: 0 })];
    }),
  );
}

/** What a test's sync child process did: killed, or finished with its report. */
export interface SyncChildResult {
  killed: boolean;
  report: { claimedEvents: number; sentLines: number; pendingLines: number; mode: string | null } | null;
}

/**
 * Runs sync processes as `plan` says (kill after the n-th accepted batch, or after a delay), then plain runs
 * until one claims nothing and leaves nothing pending (at most `maxRuns`). Returns every run's result.
 */
export async function runSyncsToCompletion(options: { run: (killAfterBatches: number, killAfterMs: number | null) => Promise<SyncChildResult>; plan: readonly (readonly [number, number | null])[]; maxRuns?: number }): Promise<SyncChildResult[]> {
  const results: SyncChildResult[] = [];
  for (const [killAfterBatches, killAfterMs] of options.plan) results.push(await options.run(killAfterBatches, killAfterMs));
  for (let run = 0; run < (options.maxRuns ?? 20); run++) {
    const result = await options.run(0, null);
    results.push(result);
    if (result.report && result.report.pendingLines === 0 && result.report.claimedEvents === 0) break;
  }
  return results;
}
