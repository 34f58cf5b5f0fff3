import type { FakeResponsesUsage } from "../fake-llm-answer";
import { randomId } from "../util/random-id";
import { messageOutputItem, responseObject } from "./response-object";
import { responsesUsageObject } from "./responses-usage-object";

/** A non-streamed Responses API body: `object: "response"`, `status: "completed"`, one message output, the usage. */
export function synthesizeResponsesBody(options: { usage: FakeResponsesUsage; model: string; content: string }): string {
  return JSON.stringify(
    responseObject({
      id: randomId({ prefix: "resp_", length: 48 }),
      createdAt: Math.floor(Date.now() / 1000),
      model: options.model,
      status: "completed",
      output: [messageOutputItem({ id: randomId({ prefix: "msg_", length: 48 }), text: options.content, status: "completed" })],
      usage: responsesUsageObject(options.usage),
    }),
  );
}
