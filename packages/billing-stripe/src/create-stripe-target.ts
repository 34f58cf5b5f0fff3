import type { BillingLineV1, BillingSenderV1, BillingTargetV1, LineOutcomeV1 } from "@usagepilot/license/billing-sync";
import type Stripe from "stripe";
import { classifyStripeError } from "./classify-stripe-error";
import type { StripeMeter } from "./stripe-meter";

/** Options of `createStripeTarget`. */
export interface CreateStripeTargetOptions {
  stripe: Stripe;
  meters: readonly StripeMeter[];
  /** Names the target in the ledger (one per Stripe account). Default "stripe". */
  targetId?: string;
  /** Pending lines from which a run uses the v2 meter event stream (100 per call) instead of v1. Default 100. */
  streamThreshold?: number;
  /** Calls per second kept under. Default 50 (well below Stripe's meter event limits). */
  requestsPerSecond?: number;
}

const day = 86_400_000;
const alreadySent = /already exists with identifier/i;

function payload(meter: StripeMeter | undefined, line: BillingLineV1): Record<string, string> {
  return { [meter?.customerPayloadKey ?? "stripe_customer_id"]: line.externalId, [meter?.valuePayloadKey ?? "value"]: line.value };
}

/**
 * Stripe as a billing target. v1 (`billing.meterEvents.create`, form-encoded, one event per call) for
 * small runs; the v2 stream (`v2.billing.meterEventSession` then `v2.billing.meterEventStream`, 100 events
 * per call, on Stripe's meter-events host, authenticated by the session's 15-minute token) for large ones.
 * Either way each line carries its deterministic identifier: v1 answers a repeat with "An event already
 * exists with identifier", which counts as sent; the v2 stream drops repeats itself.
 */
export function createStripeTarget(options: CreateStripeTargetOptions): BillingTargetV1 {
  const { stripe } = options;
  const meters = new Map(options.meters.map((meter) => [meter.name, meter]));
  const threshold = options.streamThreshold ?? 100;
  let session: { token: string; expiresAt: number } | undefined;

  const v1: BillingSenderV1 = {
    mode: "v1",
    batchSize: 1,
    async send(lines) {
      const outcomes: LineOutcomeV1[] = [];
      for (const line of lines) {
        try {
          await stripe.billing.meterEvents.create({
            event_name: line.meter,
            identifier: line.identifier,
            timestamp: Math.floor(line.occurredAt.getTime() / 1000),
            payload: payload(meters.get(line.meter), line),
          });
          outcomes.push({ identifier: line.identifier, status: "sent" });
        } catch (error) {
          // The identifier is the line's: Stripe holding it already is proof the usage was delivered.
          if (error instanceof Error && alreadySent.test(error.message)) {
            outcomes.push({ identifier: line.identifier, status: "sent" });
            continue;
          }
          const classified = classifyStripeError(error);
          const status = (error as { statusCode?: unknown }).statusCode;
          if (status === 401 || status === 403) throw error;
          outcomes.push(
            classified.retryable
              ? { identifier: line.identifier, status: "retry", message: classified.message, ...(classified.retryAfterMs === undefined ? {} : { retryAfterMs: classified.retryAfterMs }) }
              : { identifier: line.identifier, status: "rejected", message: classified.message },
          );
        }
      }
      return outcomes;
    },
  };

  const stream: BillingSenderV1 = {
    mode: "v2-stream",
    batchSize: 100,
    async send(lines) {
      // A session lives 15 minutes; renew a minute early rather than learn it from a 401.
      if (!session || session.expiresAt - 60_000 <= Date.now()) {
        const created = await stripe.v2.billing.meterEventSession.create();
        session = { token: created.authentication_token, expiresAt: Date.parse(created.expires_at) };
      }
      try {
        await stripe.v2.billing.meterEventStream.create(
          {
            events: lines.map((line) => ({
              event_name: line.meter,
              identifier: line.identifier,
              timestamp: line.occurredAt.toISOString(),
              payload: payload(meters.get(line.meter), line),
            })),
          },
          { apiKey: session.token },
        );
      } catch (error) {
        if ((error as { type?: unknown }).type === "TemporarySessionExpiredError") session = undefined;
        throw error;
      }
      return lines.map((line) => ({ identifier: line.identifier, status: "sent" as const }));
    },
  };

  return {
    id: options.targetId ?? "stripe",
    maxEventAgeMs: 35 * day,
    // An hour short of 35 days: a line must not age past the limit between the check and Stripe's.
    ageSafetyMarginMs: 3_600_000,
    requestsPerSecond: options.requestsPerSecond ?? 50,
    classifyError: classifyStripeError,
    async openSender(pending) {
      return pending >= threshold ? stream : v1;
    },
    async findMissingExternalIds(externalIds) {
      const missing = new Map<string, string>();
      for (const id of externalIds) {
        try {
          const customer = await stripe.customers.retrieve(id);
          if ((customer as { deleted?: boolean }).deleted) missing.set(id, `Stripe customer ${id} was deleted`);
        } catch (error) {
          if ((error as { statusCode?: unknown }).statusCode === 404) missing.set(id, `Stripe customer ${id} does not exist`);
          // Any other failure: assume it exists; the send will surface a real problem.
        }
      }
      return missing;
    },
    async providerTotals({ meter, externalIds, from, to }) {
      const meterId = meters.get(meter)?.meterId;
      if (!meterId) throw new Error(`meter "${meter}" has no meterId, so its Stripe summaries cannot be read`);
      const totals = new Map<string, string>();
      for (const customer of externalIds) {
        const page = await stripe.billing.meters.listEventSummaries(meterId, {
          customer,
          start_time: Math.floor(from.getTime() / 1000),
          end_time: Math.floor(to.getTime() / 1000),
        });
        let sum = 0;
        for (const summary of page.data) sum += summary.aggregated_value;
        // aggregated_value is a JSON number; whole-number meters stay exact below 2^53.
        totals.set(customer, Number.isSafeInteger(sum) ? String(sum) : sum.toFixed(12).replace(/\.?0+$/, ""));
      }
      return totals;
    },
  };
}
