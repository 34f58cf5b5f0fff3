import { sumDecimalStrings } from "@usagepilot/core";
import type { BillingLineV1, BillingTargetV1, LineOutcomeV1 } from "@usagepilot/license/billing-sync";
import type Chargebee from "chargebee";
import { classifyChargebeeError } from "./classify-chargebee-error";
import type { ChargebeeMeter } from "./chargebee-meter";

/** Options of `createChargebeeTarget`. */
export interface CreateChargebeeTargetOptions {
  chargebee: Chargebee;
  meters: readonly ChargebeeMeter[];
  /** Names the target in the ledger (one per Chargebee site). Default "chargebee". */
  targetId?: string;
  /** Usage events per minute kept under. Default 10,000 (Chargebee's ingestion limit). */
  eventsPerMinute?: number;
  /**
   * Lines older than 12 hours less this margin (ms) are reported as too old instead of sent, so none ages
   * past Chargebee's 12-hour window in flight. Default 900,000 (15 minutes).
   */
  ageSafetyMarginMs?: number;
}

const batchSize = 500;

/** A decimal string as the JSON value Chargebee aggregates: a number when it round-trips exactly. */
function propertyValue(value: string): number | string {
  const number = Number(value);
  return String(number) === value ? number : value;
}

/**
 * Chargebee as a billing target: usage events through `usageEvent.batchIngest` (≤ 500 per call, on the
 * site's ingest host), each with the line's deterministic identifier as `deduplication_id` and the line's
 * timestamp as `usage_timestamp` (Chargebee keys an event on both and the subscription, so a re-send is a
 * no-op). Events named in `failed_events` are retried; subscriptions are checked to exist before a run.
 */
export function createChargebeeTarget(options: CreateChargebeeTargetOptions): BillingTargetV1 {
  const { chargebee } = options;
  const meters = new Map(options.meters.map((meter) => [meter.name, meter]));
  const eventsPerMinute = options.eventsPerMinute ?? 10_000;
  return {
    id: options.targetId ?? "chargebee",
    maxEventAgeMs: 12 * 3_600_000,
    ageSafetyMarginMs: options.ageSafetyMarginMs ?? 900_000,
    requestsPerSecond: eventsPerMinute / 60 / batchSize,
    classifyError: classifyChargebeeError,
    async openSender() {
      return {
        mode: "batch",
        batchSize,
        async send(lines: readonly BillingLineV1[]): Promise<LineOutcomeV1[]> {
          const result = await chargebee.usageEvent.batchIngest({
            events: lines.map((line) => ({
              deduplication_id: line.identifier,
              subscription_id: line.externalId,
              usage_timestamp: line.occurredAt.getTime(),
              properties: { [line.meter]: propertyValue(line.value) },
            })),
          });
          // The reference does not fix the shape of a failed event; the event's own deduplication_id is
          // what is read. One that cannot be matched fails the whole batch back (a re-send is a no-op).
          const failed = new Map<string, string>();
          let unmatched = false;
          for (const entry of Array.isArray(result.failed_events) ? (result.failed_events as unknown[]) : []) {
            const record = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
            const id = record.deduplication_id;
            if (typeof id !== "string") {
              unmatched = true;
              continue;
            }
            const reason = [record.error_code, record.error_message, record.message].filter((part) => typeof part === "string").join(": ");
            failed.set(id, `Chargebee refused usage event ${id}${reason ? ` (${reason})` : ""}`);
          }
          return lines.map((line) =>
            unmatched || failed.has(line.identifier)
              ? { identifier: line.identifier, status: "retry" as const, message: failed.get(line.identifier) ?? "Chargebee reported a failed event it did not identify" }
              : { identifier: line.identifier, status: "sent" as const },
          );
        },
      };
    },
    async findMissingExternalIds(externalIds) {
      const missing = new Map<string, string>();
      for (const id of externalIds) {
        try {
          await chargebee.subscription.retrieve(id);
        } catch (error) {
          const value = error as { http_status_code?: unknown; api_error_code?: unknown };
          if (value.http_status_code === 404 || value.api_error_code === "resource_not_found") missing.set(id, `Chargebee subscription ${id} does not exist (deleted?)`);
          // Any other failure: assume it exists; the send will surface a real problem.
        }
      }
      return missing;
    },
    async providerTotals({ meter, externalIds, from, to }) {
      const featureId = meters.get(meter)?.featureId;
      if (!featureId) throw new Error(`meter "${meter}" has no featureId, so its Chargebee usage summary cannot be read`);
      const totals = new Map<string, string>();
      for (const id of externalIds) {
        const answer = await chargebee.usageSummary.retrieveUsageSummaryForSubscription(id, {
          feature_id: featureId,
          timeframe_start: Math.floor(from.getTime() / 1000),
          timeframe_end: Math.floor(to.getTime() / 1000),
        });
        const values = answer.list.map((item) => String(item.usage_summary.aggregated_value));
        // aggregated_value is a decimal string: summed exactly.
        totals.set(id, sumDecimalStrings(values));
      }
      return totals;
    },
  };
}
