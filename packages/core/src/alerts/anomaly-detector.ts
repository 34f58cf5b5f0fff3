import type { Dimensions, UsageEventV1 } from "../event/usage-event-v1";
import type { AlertV1 } from "./alert-v1";

/** What the detector measures per event. Cost is read as a float here: statistics, never money. */
export type AnomalyMetric = "tokens" | "requests" | "cost";

/** Options of `createAnomalyDetector`. */
export interface AnomalyDetectorOptions {
  /** Dimension keys that name a tenant, e.g. ["organization_id"]. Events without them are skipped. */
  key: readonly string[];
  /** What is measured. Default "tokens" (input + output). */
  metric?: AnomalyMetric;
  /** Window length in ms; each tenant's usage per window is compared with its own history. Default 1 hour. */
  windowMs?: number;
  /** Weight of the newest closed window in the running mean and variance (EWMA). Default 0.2. */
  smoothing?: number;
  /** How many standard deviations above the mean the current window may reach before it alerts. Default 4. */
  threshold?: number;
  /** The deviation is at least this share of the mean, so a flat history does not make every wiggle news. Default 0.25. */
  minRelativeDeviation?: number;
  /**
   * The current window alerts only above this multiple of the tenant's recent peak window too (the peak
   * decays by `peakDecay` per window), so daily and weekly cycles are not news. Default 3.
   */
  peakFactor?: number;
  /** How much of the recent peak survives each window that passes. Default 0.99 (about a third left after four days of hours). */
  peakDecay?: number;
  /** Closed windows with usage a tenant needs before its windows are judged. Default 12. */
  minHistory?: number;
  /** A single request above this multiple of the tenant's typical request alerts. Default 20. */
  requestFactor?: number;
  /** Requests of history a tenant needs before single requests are judged. Default 20. */
  minRequests?: number;
}

/** A per-tenant baseline anomaly detector; feed it every event in time order. */
export interface AnomalyDetector {
  /** Takes one event and returns the alerts it raises (each condition once per window). */
  observe(event: UsageEventV1): AlertV1[];
}

interface TenantState {
  tenant: Dimensions;
  window: number;
  current: number;
  closed: number;
  mean: number;
  variance: number;
  peak: number;
  windowAlerted: boolean;
  requests: number;
  requestMean: number;
}

function measure(event: UsageEventV1, metric: AnomalyMetric): number | null {
  if (metric === "requests") return 1;
  if (metric === "cost") return event.cost ? Number(event.cost.amount) : null;
  return event.usage ? event.usage.inputTokens + event.usage.outputTokens : null;
}

/**
 * Compares each tenant's usage in the current window with its own recent history — an exponentially
 * weighted mean and variance of its closed windows, and its recent peak window — and flags a window that
 * runs both `threshold` deviations above the mean and `peakFactor` times the recent peak while it is
 * still filling, so a runaway loop is caught within calls rather than at the end of the window; and a
 * single request far above the tenant's typical request. Growth moves the mean and the peak along with
 * it, and daily or weekly cycles stay under the peak, so neither is flagged.
 */
export function createAnomalyDetector(options: AnomalyDetectorOptions): AnomalyDetector {
  const metric = options.metric ?? "tokens";
  const windowMs = options.windowMs ?? 3_600_000;
  const smoothing = options.smoothing ?? 0.2;
  const threshold = options.threshold ?? 4;
  const minRelative = options.minRelativeDeviation ?? 0.25;
  const peakFactor = options.peakFactor ?? 3;
  const peakDecay = options.peakDecay ?? 0.99;
  const minHistory = options.minHistory ?? 12;
  const requestFactor = options.requestFactor ?? 20;
  const minRequests = options.minRequests ?? 20;
  const tenants = new Map<string, TenantState>();

  const close = (state: TenantState, total: number) => {
    if (state.closed === 0) {
      state.mean = total;
      state.variance = 0;
    } else {
      const difference = total - state.mean;
      state.mean += smoothing * difference;
      state.variance = (1 - smoothing) * (state.variance + smoothing * difference * difference);
    }
    state.closed += 1;
  };

  return {
    observe(event) {
      const tenant: Dimensions = {};
      for (const name of options.key) {
        const value = event.dimensions[name];
        if (value === undefined) return [];
        tenant[name] = value;
      }
      const amount = measure(event, metric);
      if (amount === null) return [];
      const tenantKey = JSON.stringify(options.key.map((name) => tenant[name]));
      const time = Date.parse(event.timestamp);
      const window = Math.floor(time / windowMs);
      let state = tenants.get(tenantKey);
      if (!state) {
        state = { tenant, window, current: 0, closed: 0, mean: 0, variance: 0, peak: 0, windowAlerted: false, requests: 0, requestMean: 0 };
        tenants.set(tenantKey, state);
      }
      if (window > state.window) {
        // The window that ended joins the history; quiet windows in between only let the peak decay, so a
        // tenant back from a quiet weekend is compared with its working days, not with zeros.
        close(state, state.current);
        state.peak = Math.max(state.peak * peakDecay ** (window - state.window), state.current);
        state.window = window;
        state.current = 0;
        state.windowAlerted = false;
      }
      const alerts: AlertV1[] = [];
      state.current += amount;
      if (!state.windowAlerted && state.closed >= minHistory) {
        const deviation = Math.max(Math.sqrt(state.variance), state.mean * minRelative, 1);
        const limit = Math.max(state.mean + threshold * deviation, peakFactor * state.peak);
        if (state.current > limit) {
          state.windowAlerted = true;
          alerts.push({
            id: `window-anomaly:${tenantKey}:${window}`,
            kind: "window-anomaly",
            tenant,
            message: `${describeTenant(tenant)} used ${round(state.current)} ${metric} this window, against a usual ${round(state.mean)} (alert above ${round(limit)})`,
            at: event.timestamp,
            values: { observed: round(state.current), expected: round(state.mean), deviation: round(deviation), recentPeak: round(state.peak), limit: round(limit), windowStart: new Date(window * windowMs).toISOString(), metric },
            eventId: event.id,
          });
        }
      }
      if (metric !== "requests") {
        if (state.requests >= minRequests && amount > requestFactor * Math.max(state.requestMean, 1)) {
          alerts.push({
            id: `request-anomaly:${event.id}`,
            kind: "request-anomaly",
            tenant,
            message: `${describeTenant(tenant)} made one request of ${round(amount)} ${metric}, ${round(amount / Math.max(state.requestMean, 1))}× its typical ${round(state.requestMean)}`,
            at: event.timestamp,
            values: { observed: round(amount), typical: round(state.requestMean), factor: requestFactor, metric },
            eventId: event.id,
          });
        }
        state.requests += 1;
        // The typical request: a running mean over the tenant's requests, slow to move.
        state.requestMean += (amount - state.requestMean) / Math.min(state.requests, 100);
      }
      return alerts;
    },
  };
}

function describeTenant(tenant: Dimensions): string {
  return Object.entries(tenant)
    .map(([name, value]) => `${name}=${value}`)
    .join(", ");
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
