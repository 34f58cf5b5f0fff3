import { AlertDeliveryError } from "../errors/alert-delivery-error";
import type { AlertV1 } from "./alert-v1";
import { slackPayload } from "./slack-payload";

/** Where alerts go. */
export interface AlertDispatcherOptions {
  /** Called once per alert. Errors it throws go to `onError`. */
  onAlert?: (alert: AlertV1) => void | Promise<void>;
  /** A webhook that receives a Slack-compatible JSON body per alert (Slack, Mattermost, Discord's /slack...). */
  webhook?: {
    url: string;
    /** Default: the global fetch, looked up at call time. Pass the plain one, never a metered fetch. */
    fetch?: typeof globalThis.fetch;
    headers?: Record<string, string>;
    /** Attempts before giving up (5xx, 429 and network errors are retried). Default 3. */
    attempts?: number;
    /** First retry delay in ms, doubled each time. Default 500. */
    retryDelayMs?: number;
  };
  onError: (error: unknown) => void;
  /** Alert ids remembered to deliver each alert once. Default 10,000. */
  memory?: number;
}

/** Delivers alerts once each. */
export interface AlertDispatcher {
  deliver(alert: AlertV1): void;
  /** Waits for deliveries under way. */
  flush(): Promise<void>;
}

/** Delivers each alert once (by id) to a callback and a webhook, retrying the webhook with backoff. */
export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const seen = new Set<string>();
  const memory = options.memory ?? 10_000;
  const pending = new Set<Promise<void>>();

  const post = async (alert: AlertV1) => {
    const webhook = options.webhook!;
    const attempts = webhook.attempts ?? 3;
    let status: number | undefined;
    let cause: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const response = await (webhook.fetch ?? globalThis.fetch)(webhook.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...webhook.headers },
          body: JSON.stringify(slackPayload(alert)),
        });
        status = response.status;
        await response.body?.cancel();
        if (response.ok) return;
        if (status < 500 && status !== 429) break;
      } catch (error) {
        cause = error;
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, (webhook.retryDelayMs ?? 500) * 2 ** (attempt - 1)));
    }
    options.onError(new AlertDeliveryError({ url: webhook.url, alertId: alert.id, ...(status === undefined ? {} : { status }), cause }));
  };

  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  return {
    deliver(alert) {
      if (seen.has(alert.id)) return;
      seen.add(alert.id);
      // Forget the oldest ids first (a Set iterates in insertion order).
      if (seen.size > memory) seen.delete(seen.values().next().value!);
      if (options.onAlert) {
        try {
          const result = options.onAlert(alert);
          if (result instanceof Promise) track(result.catch((error: unknown) => options.onError(error)));
        } catch (error) {
          options.onError(error);
        }
      }
      if (options.webhook) track(post(alert));
    },
    async flush() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
