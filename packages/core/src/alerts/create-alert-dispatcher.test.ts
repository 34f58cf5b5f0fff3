import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AlertDeliveryError } from "../errors/alert-delivery-error";
import type { AlertV1 } from "./alert-v1";
import { createAlertDispatcher } from "./create-alert-dispatcher";

const alert: AlertV1 = {
  id: "window-anomaly:org-1:123",
  kind: "window-anomaly",
  tenant: { organization_id: "org-1" },
  message: "organization_id=org-1 used 190000 tokens this window, against a usual 30000 (alert above 180000)",
  at: "2026-01-20T10:04:00.000Z",
  values: { observed: 190_000, expected: 30_000, limit: 180_000 },
  eventId: "0190b6b2-9c3e-7b1a-8c3e-0123456789ab",
};

/** A real webhook receiver that answers each request with the next status of a script. */
async function startReceiver(statuses: number[]) {
  const bodies: unknown[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      bodies.push(JSON.parse(text));
      response.statusCode = statuses.shift() ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const receivers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

describe("createAlertDispatcher", () => {
  it("delivers each alert once to the callback and to the webhook, as a Slack-compatible body", async () => {
    const receiver = await startReceiver([]);
    receivers.push(receiver);
    const received: AlertV1[] = [];
    const errors: unknown[] = [];
    const dispatcher = createAlertDispatcher({ onAlert: (value) => void received.push(value), webhook: { url: receiver.url }, onError: (error) => errors.push(error) });
    dispatcher.deliver(alert);
    dispatcher.deliver({ ...alert });
    await dispatcher.flush();
    expect(received).toEqual([alert]);
    expect(receiver.bodies).toHaveLength(1);
    const body = receiver.bodies[0] as { text: string; blocks: { text?: { text: string } }[] };
    expect(body.text).toContain(alert.message);
    expect(JSON.stringify(body.blocks)).toContain("*observed*: 190000");
    expect(errors).toEqual([]);
  });

  it("retries a failing webhook and reports a typed error when it keeps failing, without retrying a 4xx", async () => {
    const flaky = await startReceiver([500, 503]);
    receivers.push(flaky);
    const errors: unknown[] = [];
    const dispatcher = createAlertDispatcher({ webhook: { url: flaky.url, retryDelayMs: 5 }, onError: (error) => errors.push(error) });
    dispatcher.deliver(alert);
    await dispatcher.flush();
    expect(flaky.bodies).toHaveLength(3);
    expect(errors).toEqual([]);

    const refusing = await startReceiver([404]);
    receivers.push(refusing);
    const refused = createAlertDispatcher({ webhook: { url: refusing.url, retryDelayMs: 5 }, onError: (error) => errors.push(error) });
    refused.deliver(alert);
    await refused.flush();
    expect(refusing.bodies).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(AlertDeliveryError.isInstance(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ status: 404, alertId: alert.id, url: refusing.url });
  });

  it("reports a throwing callback through onError and still posts the webhook", async () => {
    const receiver = await startReceiver([]);
    receivers.push(receiver);
    const errors: unknown[] = [];
    const dispatcher = createAlertDispatcher({
      onAlert: () => {
        throw new Error("handler bug");
      },
      webhook: { url: receiver.url },
      onError: (error) => errors.push(error),
    });
    dispatcher.deliver(alert);
    await dispatcher.flush();
    expect(receiver.bodies).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("handler bug");
  });
});
