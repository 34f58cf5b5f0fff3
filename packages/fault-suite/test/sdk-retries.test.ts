import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { callHeaders } from "./create-fault-pilot";
import { expectStoredAsServed } from "./expect-stored-as-served";
import { storedCalls } from "./stored-tenant-totals";
import { useFaultScenario } from "./use-fault-scenario";

// SDK retries: each attempt is its own `fetch`, so its own provider call and its own event. A failed attempt
// carries no usage (the provider served none), so it is stored as an error without usage and nothing is
// billed twice; the attempt that succeeds carries the usage once.

const scenario = useFaultScenario();
const { database } = scenario;

// A short Retry-After keeps the suite quick; one 500 below goes without it, through the SDK's own backoff.
const fast = { "retry-after-ms": "5" };
const request = (tenant: string) => ({ model: "gpt-4o-mini", messages: [{ role: "user" as const, content: `Hello from ${tenant}` }] });

describe("SDK retries (PostgreSQL)", () => {
  it("the openai SDK with its default retries: one event per real provider call, usage only where it was served", async () => {
    const { server, usage, fetch } = scenario.createPilot({ batchSize: 3, flushInterval: 20 });
    // Default maxRetries (2): up to three attempts per call.
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch });

    // acme: a 500 (default backoff), then success.
    server.enqueue({ kind: "error", status: 500 }, { kind: "chat", usage: { prompt_tokens: 21, completion_tokens: 8, cached_tokens: 4 } });
    const first = await openai.chat.completions.create(request("acme"), { headers: callHeaders("acme", "acme-0") });
    expect(first.usage?.prompt_tokens).toBe(21);
    // acme: two 429s, then a streamed success.
    server.enqueue({ kind: "error", status: 429, headers: fast }, { kind: "error", status: 429, headers: fast }, { kind: "chat", usage: { prompt_tokens: 13, completion_tokens: 30 }, chunks: 6 });
    for await (const _chunk of await openai.chat.completions.create({ ...request("acme"), stream: true }, { headers: callHeaders("acme", "acme-1") })) void _chunk;
    // globex: three 500s: the SDK gives up and the caller gets the error.
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: "error" as const, status: 500, headers: fast })));
    await expect(openai.chat.completions.create(request("globex"), { headers: callHeaders("globex", "globex-0") })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    // globex: success at once.
    server.enqueue({ kind: "chat", usage: { prompt_tokens: 7, completion_tokens: 2 } });
    await openai.chat.completions.create(request("globex"), { headers: callHeaders("globex", "globex-1") });
    await usage.shutdown();

    // The SDK really retried: attempts 0, 1 (and 2) of the same call reached the provider.
    expect(server.requests.map((recorded) => `${recorded.headers["x-call-id"]}#${recorded.headers["x-stainless-retry-count"]}`)).toEqual([
      "acme-0#0",
      "acme-0#1",
      "acme-1#0",
      "acme-1#1",
      "acme-1#2",
      "globex-0#0",
      "globex-0#1",
      "globex-0#2",
      "globex-1#0",
    ]);
    await expectStoredAsServed({
      url: database.url,
      server,
      served: { acme: { events: 5, reportedEvents: 2, inputTokens: 34, outputTokens: 38 }, globex: { events: 4, reportedEvents: 1, inputTokens: 7, outputTokens: 2 } },
    });
    // Per logical call: every failed attempt an error without usage, the one success carrying it once.
    const calls = await storedCalls(database.url);
    const shape = (callId: string) => calls.filter((call) => call.callId === callId).map((call) => `${call.status}:${call.inputTokens ?? "null"}`).sort();
    expect(shape("acme-0")).toEqual(["error:null", "ok:21"]);
    expect(shape("acme-1")).toEqual(["error:null", "error:null", "ok:13"]);
    expect(shape("globex-0")).toEqual(["error:null", "error:null", "error:null"]);
    expect(shape("globex-1")).toEqual(["ok:7"]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(calls.length);
  });

  it("the openai SDK's timeout: an attempt the provider had not answered yet is stored as aborted without usage, never as 0; the retry carries it", async () => {
    const { server, usage, fetch } = scenario.createPilot({ batchSize: 3, flushInterval: 20 });
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch, timeout: 300, maxRetries: 1 });
    // The provider still works on the first attempt when the SDK gives up on it (it may well bill it: the
    // event says the usage is unknown, for reconciliation); the second attempt is answered at once.
    server.enqueue({ kind: "chat", usage: { prompt_tokens: 11, completion_tokens: 3 }, headersDelayMs: 5_000 }, { kind: "chat", usage: { prompt_tokens: 11, completion_tokens: 3 } });
    const answer = await openai.chat.completions.create(request("acme"), { headers: callHeaders("acme", "acme-slow") });
    expect(answer.usage?.prompt_tokens).toBe(11);
    await usage.shutdown();

    expect(server.requests.map((recorded) => `${recorded.headers["x-call-id"]}#${recorded.headers["x-stainless-retry-count"]}`)).toEqual(["acme-slow#0", "acme-slow#1"]);
    const calls = (await storedCalls(database.url)).filter((call) => call.callId === "acme-slow");
    expect(calls.map((call) => `${call.status}:${call.accuracy}:${call.inputTokens ?? "null"}`).sort()).toEqual(["aborted:estimated:null", "ok:reported:11"]);
    await expectStoredAsServed({ url: database.url, server, served: { acme: { events: 2, reportedEvents: 1, inputTokens: 11, outputTokens: 3 } } });
  });

  it("the AI SDK with its default retries: generateText and streamText retried after 500 / 429, one event per attempt", async () => {
    const { server, usage, fetch } = scenario.createPilot({ batchSize: 3, flushInterval: 20 });
    const provider = createOpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch });

    server.enqueue({ kind: "error", status: 500, headers: fast }, { kind: "chat", usage: { prompt_tokens: 17, completion_tokens: 9 } });
    const generated = await generateText({ model: provider.chat("gpt-4o-mini"), prompt: "hi", headers: callHeaders("umbrella", "umbrella-0") });
    expect(generated.usage.inputTokens).toBe(17);
    server.enqueue({ kind: "error", status: 429, headers: fast }, { kind: "error", status: 500, headers: fast }, { kind: "chat", usage: { prompt_tokens: 11, completion_tokens: 25 }, chunks: 5 });
    const streamed = streamText({ model: provider.chat("gpt-4o-mini"), prompt: "hi", headers: callHeaders("umbrella", "umbrella-1") });
    expect((await streamed.text).length).toBeGreaterThan(0);
    expect((await streamed.usage).outputTokens).toBe(25);
    await usage.shutdown();

    expect(server.requests.map((recorded) => recorded.headers["x-call-id"])).toEqual(["umbrella-0", "umbrella-0", "umbrella-1", "umbrella-1", "umbrella-1"]);
    await expectStoredAsServed({ url: database.url, server, served: { umbrella: { events: 5, reportedEvents: 2, inputTokens: 28, outputTokens: 34 } } });
    const calls = await storedCalls(database.url);
    expect(calls.filter((call) => call.status === "error").every((call) => call.inputTokens === null && call.outputTokens === null)).toBe(true);
    expect(calls.filter((call) => call.status === "ok").map((call) => call.callId).sort()).toEqual(["umbrella-0", "umbrella-1"]);
  });
});
