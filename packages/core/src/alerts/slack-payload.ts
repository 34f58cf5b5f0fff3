import type { AlertV1 } from "./alert-v1";

/** A Slack-compatible incoming-webhook body for an alert: `text` for notifications, `blocks` with the numbers. */
export function slackPayload(alert: AlertV1): { text: string; blocks: unknown[] } {
  const numbers = Object.entries(alert.values)
    .map(([name, value]) => `*${name}*: ${value}`)
    .join("\n");
  return {
    text: `UsagePilot ${alert.kind}: ${alert.message}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:rotating_light: *${alert.kind}* — ${alert.message}` } },
      { type: "section", text: { type: "mrkdwn", text: numbers } },
      { type: "context", elements: [{ type: "mrkdwn", text: `${alert.at}${alert.eventId ? ` · event ${alert.eventId}` : ""} · alert ${alert.id}` }] },
    ],
  };
}
