import { createOpenAI } from "@ai-sdk/openai";
import { streamText } from "ai";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { callHeaders } from "./create-fault-pilot";
import { expectStoredAsServed } from "./expect-stored-as-served";
import { storedCalls } from "./stored-tenant-totals";
import { useFaultScenario } from "./use-fault-scenario";

// The client aborting a stream mid-way (AbortController), with the openai SDK and the AI SDK. The provider
// never sent the usage chunk, so the event is "aborted" with usage null or our own labelled count; the calls
// that finished carry exactly what was served.

const scenario = useFaultScenario();
const { database } = scenario;

// Long and slow enough that the abort, three chunks in, always lands before the final usage chunk is written.
const slowStream = (prompt: number, completion: number) => ({ kind: "chat" as const, usage: { prompt_tokens: prompt, completion_tokens: completion }, chunks: 60, delayMs: 15 });

/** After the caller aborted: each aborted call is one event, never one that passes off a count as reported. */
async function expectAbortedCalls(abortedCallIds: readonly string[]): Promise<void> {
  const calls = await storedCalls(database.url);
  for (const callId of abortedCallIds) {
    const [call, ...more] = calls.filter((stored) => stored.callId === callId);
    expect(more, callId).toEqual([]);
    expect(call, callId).toMatchObject({ status: "aborted", streamed: true });
    expect(call!.accuracy === "reported" ? call!.inputTokens : null, callId).toBeNull();
  }
}

describe("the client aborting mid-stream (PostgreSQL)", () => {
  it("the openai SDK: AbortController three chunks in, between finished calls", async () => {
    const { server, usage, fetch } = scenario.createPilot({ batchSize: 3, flushInterval: 20 });
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch, maxRetries: 0 });
    const body = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "Write a long poem" }], stream: true as const };

    const aborted: string[] = [];
    for (const [index, tenant] of ["acme", "globex", "acme", "globex"].entries()) {
      const finishedId = `${tenant}-done-${index}`;
      server.enqueue({ kind: "chat", usage: { prompt_tokens: 10 + index, completion_tokens: 20 + index }, chunks: 4 });
      for await (const _chunk of await openai.chat.completions.create(body, { headers: callHeaders(tenant, finishedId) })) void _chunk;

      const abortedId = `${tenant}-aborted-${index}`;
      server.enqueue(slowStream(50, 500));
      const controller = new AbortController();
      let seen = 0;
      // The SDK ends the iteration quietly when its signal aborts.
      for await (const _chunk of await openai.chat.completions.create(body, { headers: callHeaders(tenant, abortedId), signal: controller.signal })) {
        seen += 1;
        if (seen === 3) controller.abort();
      }
      expect(seen).toBeLessThan(60);
      aborted.push(abortedId);
    }
    await usage.shutdown();

    await expectStoredAsServed({
      url: database.url,
      server,
      served: { acme: { events: 4, reportedEvents: 2, inputTokens: 22, outputTokens: 42 }, globex: { events: 4, reportedEvents: 2, inputTokens: 24, outputTokens: 44 } },
    });
    await expectAbortedCalls(aborted);
  });

  it("the AI SDK: streamText with an abortSignal, between finished calls", async () => {
    const { server, usage, fetch } = scenario.createPilot({ batchSize: 3, flushInterval: 20 });
    const provider = createOpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch });

    const aborted: string[] = [];
    for (const [index, tenant] of ["initech", "umbrella"].entries()) {
      server.enqueue({ kind: "chat", usage: { prompt_tokens: 30 + index, completion_tokens: 5 + index }, chunks: 3 });
      const finished = streamText({ model: provider.chat("gpt-4o-mini"), prompt: "hi", headers: callHeaders(tenant, `${tenant}-done`), maxRetries: 0 });
      expect((await finished.usage).inputTokens).toBe(30 + index);

      const abortedId = `${tenant}-aborted`;
      server.enqueue(slowStream(70, 700));
      const controller = new AbortController();
      let deltas = 0;
      const result = streamText({ model: provider.chat("gpt-4o-mini"), prompt: "Write a long poem", headers: callHeaders(tenant, abortedId), abortSignal: controller.signal, maxRetries: 0 });
      try {
        for await (const _delta of result.textStream) {
          deltas += 1;
          if (deltas === 3) controller.abort();
        }
      } catch (error) {
        // Depending on where the abort lands the AI SDK ends the stream or raises an AbortError; both are the caller's.
        expect((error as Error).name).toMatch(/Abort/);
      }
      expect(deltas).toBeLessThan(60);
      aborted.push(abortedId);
    }
    await usage.shutdown();

    await expectStoredAsServed({
      url: database.url,
      server,
      served: { initech: { events: 2, reportedEvents: 1, inputTokens: 30, outputTokens: 5 }, umbrella: { events: 2, reportedEvents: 1, inputTokens: 31, outputTokens: 6 } },
    });
    await expectAbortedCalls(aborted);
  });

  it("drainOnCancel: the caller cancels, metering reads on upstream and stores the usage the provider served", async () => {
    const { server, usage } = scenario.createPilot({ batchSize: 3, flushInterval: 20 });
    const fetchDraining = usage.createFetch((request) => ({ tenant_id: request.headers.get("x-tenant-id"), call_id: request.headers.get("x-call-id") }), { drainOnCancel: true });

    server.enqueue({ kind: "chat", usage: { prompt_tokens: 40, completion_tokens: 120 }, chunks: 20, delayMs: 5 });
    const response = await fetchDraining(`${server.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...callHeaders("hooli", "hooli-0") },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    // The caller walks away after the first bytes.
    await reader.cancel();
    await usage.shutdown();

    // The provider did serve the whole stream, usage included: metering kept reading it.
    await expectStoredAsServed({ url: database.url, server, served: { hooli: { events: 1, reportedEvents: 1, inputTokens: 40, outputTokens: 120 } } });
    // Read to its end upstream, the provider's call finished: it stands as a complete call with reported usage.
    expect(await storedCalls(database.url)).toMatchObject([{ callId: "hooli-0", status: "ok", accuracy: "reported", inputTokens: 40, outputTokens: 120 }]);
  });
});
