import type { FakeLlmAnswer } from "@usagepilot/testing";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { callHeaders } from "./create-fault-pilot";
import { expectStoredAsServed } from "./expect-stored-as-served";
import { storedCalls } from "./stored-tenant-totals";
import { useFaultScenario } from "./use-fault-scenario";

// The provider failing: an error event inside a stream, the connection dropped mid-stream, and HTTP 500 and
// 429 answers, mixed with good calls for several tenants. Each call is one event; usage is what the
// provider reported, or null, or our own count of what passed (labelled "counted" / "estimated", never
// "reported"), so a count the provider never sent can never pass for one it did.

const scenario = useFaultScenario();
const { database } = scenario;

/** One script per tenant: what the provider does to each of its calls, in order. */
const scripts: Record<string, { answer: FakeLlmAnswer; stream: boolean }[]> = {
  acme: [
    { answer: { kind: "chat", usage: { prompt_tokens: 31, completion_tokens: 7, cached_tokens: 16 } }, stream: false },
    { answer: { kind: "stream-error", afterChunks: 2 }, stream: true },
    { answer: { kind: "chat", usage: { prompt_tokens: 12, completion_tokens: 40 }, chunks: 8 }, stream: true },
    { answer: { kind: "cut", afterChunks: 3, usage: { prompt_tokens: 9, completion_tokens: 60 } }, stream: true },
    { answer: { kind: "error", status: 500 }, stream: false },
  ],
  globex: [
    { answer: { kind: "error", status: 429, headers: { "retry-after": "1" } }, stream: true },
    { answer: { kind: "cut", afterChunks: 0 }, stream: true },
    { answer: { kind: "chat", usage: { prompt_tokens: 5, completion_tokens: 3, reasoning_tokens: 2 } }, stream: false },
    { answer: { kind: "stream-error", afterChunks: 0 }, stream: true },
    { answer: { kind: "error", status: 500 }, stream: true },
  ],
  // A tenant that only ever met failures: its totals are unknown (null), not 0.
  initech: [
    { answer: { kind: "error", status: 429 }, stream: false },
    { answer: { kind: "stream-error", afterChunks: 1 }, stream: true },
  ],
};

describe("the provider failing mid-stream and with 500 / 429 (openai SDK, PostgreSQL)", () => {
  it("one event per provider call; reported usage totals per tenant equal what was served; failures say so", async () => {
    const { server, usage, fetch, errors } = scenario.createPilot({ batchSize: 4, flushInterval: 20 });
    // No retries here: each answer is one call (retries are sdk-retries.test.ts).
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch, maxRetries: 0 });

    const outcomes = new Map<string, string>();
    for (const [tenant, calls] of Object.entries(scripts)) {
      for (const [index, { answer, stream }] of calls.entries()) {
        const callId = `${tenant}-${index}`;
        server.enqueue(answer);
        const body = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: `Tell ${tenant} a short story` }] };
        try {
          if (stream) {
            for await (const _chunk of await openai.chat.completions.create({ ...body, stream: true }, { headers: callHeaders(tenant, callId) })) void _chunk;
          } else {
            await openai.chat.completions.create(body, { headers: callHeaders(tenant, callId) });
          }
          outcomes.set(callId, "ok");
        } catch (error) {
          // The caller sees the provider's failure, exactly as without metering.
          outcomes.set(callId, error instanceof OpenAI.APIError ? `status ${error.status ?? "none"}` : (error as Error).name);
        }
      }
    }
    await usage.shutdown();

    // The SDK raised for every failure: in-stream errors and HTTP errors as APIError, drops as a network error.
    expect(outcomes.get("acme-1")).toBe("status none");
    expect(outcomes.get("acme-4")).toBe("status 500");
    expect(outcomes.get("globex-0")).toBe("status 429");
    expect(outcomes.get("acme-3")).not.toBe("ok");
    expect(outcomes.get("globex-1")).not.toBe("ok");

    await expectStoredAsServed({
      url: database.url,
      server,
      served: {
        acme: { events: 5, reportedEvents: 2, inputTokens: 43, outputTokens: 47 },
        globex: { events: 5, reportedEvents: 1, inputTokens: 5, outputTokens: 3 },
        initech: { events: 2, reportedEvents: 0, inputTokens: null, outputTokens: null },
      },
    });

    const byCall = new Map((await storedCalls(database.url)).map((call) => [call.callId, call]));
    expect(byCall.size).toBe(12);
    for (const [callId, call] of byCall) {
      const index = server.requests.findIndex((request) => request.headers["x-call-id"] === callId);
      const servedUsage = server.served[index]!.usage;
      if (servedUsage === null) {
        // Nothing reported: unknown (null), or our own count labelled as such — never counts passed off as reported.
        if (call.inputTokens !== null) expect(call.accuracy, callId).not.toBe("reported");
        else expect(call.outputTokens, callId).toBeNull();
      }
    }
    // In-stream errors and HTTP errors are errors; a dropped connection is an aborted call.
    for (const callId of ["acme-1", "acme-4", "globex-0", "globex-3", "globex-4", "initech-0", "initech-1"]) expect(byCall.get(callId)?.status, callId).toBe("error");
    for (const callId of ["acme-3", "globex-1"]) expect(byCall.get(callId)?.status, callId).toBe("aborted");
    for (const callId of ["acme-0", "acme-2", "globex-2"]) expect(byCall.get(callId)).toMatchObject({ status: "ok", accuracy: "reported" });
    // HTTP errors carry no usage at all.
    for (const callId of ["acme-4", "globex-0", "globex-4", "initech-0"]) expect(byCall.get(callId)).toMatchObject({ inputTokens: null, outputTokens: null });
    // Nothing was refused or lost on the way to the ledger.
    expect(usage.stats()).toMatchObject({ written: 12, rejected: 0, invalid: 0, pending: 0 });
    expect(errors.filter((error) => (error as Error).name === "UsagePilotStorageError")).toEqual([]);
  });
});
