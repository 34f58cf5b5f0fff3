import { compareDecimalText, subtractDecimalText } from "./decimal-text";

/** One customer's line in a drift report. */
export interface DriftRowV1 {
  meter: string;
  /** The Stripe customer or Chargebee subscription. */
  externalId: string;
  /** The tenants mapped to it. */
  tenantKeys: string[];
  /** What the local usage says should be billed (sent, pending and held lines; not expired ones). */
  local: string;
  /** What the ledger records as accepted by the provider. */
  sent: string;
  /** What the provider reports; null when it could not be asked. */
  provider: string | null;
  /** provider − sent; null when the provider could not be asked. */
  drift: string | null;
  /** "match": provider = sent = local; "unsent": provider = sent < local (a sync is due); "drift": provider ≠ sent. */
  status: "match" | "unsent" | "drift" | "unknown";
}

/**
 * The reconcile arithmetic, shared by every target: local and sent totals per (meter, external id) beside
 * the provider's, exact decimal strings throughout. An id only the provider knows shows local = sent = 0.
 */
export function reconcileRows(options: {
  local: readonly { meter: string; externalId: string; tenantKeys: string[]; local: string; sent: string }[];
  provider: ReadonlyMap<string, ReadonlyMap<string, string> | null>;
}): DriftRowV1[] {
  const rows: DriftRowV1[] = [];
  const seen = new Set<string>();
  for (const entry of options.local) {
    seen.add(`${entry.meter}\u0000${entry.externalId}`);
    const totals = options.provider.get(entry.meter);
    const provider = totals === null || totals === undefined ? null : (totals.get(entry.externalId) ?? "0");
    rows.push(row(entry.meter, entry.externalId, entry.tenantKeys, entry.local, entry.sent, provider));
  }
  for (const [meter, totals] of options.provider) {
    for (const [externalId, value] of totals ?? []) {
      if (!seen.has(`${meter}\u0000${externalId}`) && compareDecimalText(value, "0") !== 0) rows.push(row(meter, externalId, [], "0", "0", value));
    }
  }
  return rows.sort((a, b) => (a.meter === b.meter ? a.externalId.localeCompare(b.externalId) : a.meter.localeCompare(b.meter)));
}

function row(meter: string, externalId: string, tenantKeys: string[], local: string, sent: string, provider: string | null): DriftRowV1 {
  if (provider === null) return { meter, externalId, tenantKeys, local, sent, provider, drift: null, status: "unknown" };
  const drift = subtractDecimalText(provider, sent);
  const status = compareDecimalText(drift, "0") !== 0 ? "drift" : compareDecimalText(local, sent) !== 0 ? "unsent" : "match";
  return { meter, externalId, tenantKeys, local, sent, provider, drift, status };
}
