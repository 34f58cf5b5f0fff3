// The "Tokenizer accuracy" measurement: every recorded fixture whose whole output text is in the body,
// counted locally and compared with the count the provider reported, plus OpenAI's cookbook request.
// Shared by `pnpm accuracy` (which writes the README table from the built package) and by
// src/accuracy.test.ts (which asserts every row stays within its stated bound, from src); the cookbook
// messages are also the ones src/create-tokenizer.test.ts and test/built-package.test.ts count.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixturesDir } from "@usagepilot/testing";

/** Parses a local fixture file; these are files in the repository, not network data. */
function parse(text) {
  return JSON.parse(text);
}

function readFixture(file) {
  return readFileSync(join(fixturesDir(), file), "utf8");
}

/** The `data:` payloads of an event stream, joined per event, without `[DONE]`. */
function sseData(text) {
  return text
    .split(/\r?\n\r?\n/)
    .map((block) => block.split(/\r?\n/).filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trim()).join("\n"))
    .filter((data) => data !== "" && data !== "[DONE]")
    .map(parse);
}

/** Gemini's visible answer: parts that are not thought summaries. */
function geminiText(chunks) {
  return chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []).filter((part) => part.thought !== true).map((part) => part.text ?? "").join("");
}

const openAIExact = { tokens: 1, ratio: 0 };

/**
 * Each measured output: the fixture, the provider and model, the text, the count the provider reported
 * for exactly that text, and why that count is comparable.
 */
export function fixtureOutputs() {
  const outputs = [];
  {
    const body = parse(readFixture("openai/chat-nonstream-gpt-4.1-nano.json"));
    outputs.push({ fixture: "openai/chat-nonstream-gpt-4.1-nano.json", provider: "openai", model: "gpt-4.1-nano", text: body.choices[0].message.content, reported: body.usage.completion_tokens, compared: "`completion_tokens`", bound: openAIExact });
  }
  {
    const chunks = readFixture("openai/chat-stream-gpt-4.1-nano.chunks.jsonl").trim().split("\n").map(parse);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    const usage = chunks.at(-1).usage;
    outputs.push({ fixture: "openai/chat-stream-gpt-4.1-nano.chunks.jsonl", provider: "openai", model: "gpt-4.1-nano", text, reported: usage.completion_tokens, compared: "`completion_tokens`", bound: openAIExact });
  }
  {
    const body = parse(readFixture("openai/chat-nonstream-reasoning.json"));
    const usage = body.usage;
    outputs.push({
      fixture: "openai/chat-nonstream-reasoning.json",
      provider: "openai",
      model: "o3-mini",
      text: body.choices[0].message.content,
      reported: usage.completion_tokens - usage.completion_tokens_details.reasoning_tokens,
      compared: "`completion_tokens − reasoning_tokens` (visible answer)",
      bound: { tokens: 0, ratio: 0.03 },
    });
  }
  {
    const body = parse(readFixture("anthropic/messages-nonstream-basic.json"));
    outputs.push({ fixture: "anthropic/messages-nonstream-basic.json", provider: "anthropic", model: body.model, text: body.content.map((block) => block.text ?? "").join(""), reported: body.usage.output_tokens, compared: "`output_tokens`", bound: "anthropic" });
  }
  {
    const body = parse(readFixture("anthropic/messages-nonstream-cache-1.json"));
    outputs.push({ fixture: "anthropic/messages-nonstream-cache-1.json", provider: "anthropic", model: body.model, text: body.content.map((block) => block.text ?? "").join(""), reported: body.usage.output_tokens, compared: "`output_tokens`", bound: "anthropic" });
  }
  {
    const events = sseData(readFixture("anthropic/messages-stream-basic-padded.sse"));
    const text = events.filter((event) => event.type === "content_block_delta").map((event) => event.delta.text ?? "").join("");
    const reported = events.find((event) => event.type === "message_delta").usage.output_tokens;
    outputs.push({ fixture: "anthropic/messages-stream-basic-padded.sse", provider: "anthropic", model: events[0].message.model, text, reported, compared: "`message_delta` `output_tokens`", bound: "anthropic" });
  }
  {
    const events = sseData(readFixture("anthropic/messages-stream-compaction-cache-read-iterations.sse"));
    const model = events[0].message.model;
    const iterations = events.find((event) => event.type === "message_delta").usage.iterations;
    const deltas = events.filter((event) => event.type === "content_block_delta");
    const summary = deltas.filter((event) => event.delta.type === "compaction_delta").map((event) => event.delta.content).join("");
    const answer = deltas.filter((event) => event.delta.type === "text_delta").map((event) => event.delta.text).join("");
    outputs.push({ fixture: "anthropic/messages-stream-compaction-cache-read-iterations.sse (compaction pass)", provider: "anthropic", model, text: summary, reported: iterations.find((pass) => pass.type === "compaction").output_tokens, compared: "`iterations[compaction].output_tokens`", bound: "anthropic" });
    outputs.push({ fixture: "anthropic/messages-stream-compaction-cache-read-iterations.sse (answer)", provider: "anthropic", model, text: answer, reported: iterations.find((pass) => pass.type === "message").output_tokens, compared: "`iterations[message].output_tokens`", bound: "anthropic" });
  }
  {
    const body = parse(readFixture("gemini/generateContent-gemini-3-pro-thoughts.json"));
    outputs.push({ fixture: "gemini/generateContent-gemini-3-pro-thoughts.json", provider: "google", model: body.modelVersion, text: geminiText([body]), reported: body.usageMetadata.candidatesTokenCount, compared: "`candidatesTokenCount` (thoughts apart)", bound: "google" });
  }
  {
    const chunks = sseData(readFixture("gemini/streamGenerateContent-sse-usage-every-chunk.sse"));
    outputs.push({ fixture: "gemini/streamGenerateContent-sse-usage-every-chunk.sse", provider: "google", model: chunks.at(-1).modelVersion, text: geminiText(chunks), reported: chunks.at(-1).usageMetadata.candidatesTokenCount, compared: "last `candidatesTokenCount` (thoughts apart)", bound: "google" });
  }
  {
    const chunks = parse(readFixture("gemini/streamGenerateContent-json-array-no-alt-sse.json"));
    outputs.push({ fixture: "gemini/streamGenerateContent-json-array-no-alt-sse.json", provider: "google", model: chunks.at(-1).modelVersion, text: geminiText(chunks), reported: chunks.at(-1).usageMetadata.candidatesTokenCount, compared: "last `candidatesTokenCount` (thoughts apart)", bound: "google" });
  }
  {
    const body = parse(readFixture("gemini/generateContent-cached-content.json"));
    outputs.push({ fixture: "gemini/generateContent-cached-content.json", provider: "google", model: body.modelVersion, text: geminiText([body]), reported: body.usageMetadata.candidatesTokenCount, compared: "`candidatesTokenCount` (thoughts apart)", bound: "google" });
  }
  return outputs;
}

/** OpenAI's cookbook example (How to count tokens with tiktoken) and the prompt_tokens the API reported for it. */
export const cookbookMessages = [
  { role: "system", content: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English." },
  { role: "system", name: "example_user", content: "New synergies will help drive top-line growth." },
  { role: "system", name: "example_assistant", content: "Things working well together will increase revenue." },
  { role: "system", name: "example_user", content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: "system", name: "example_assistant", content: "Let's talk later when we're less busy about how to do better." },
  { role: "user", content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

/** Models and the prompt_tokens the cookbook shows the API reporting for `cookbookMessages`. */
export const cookbookReported = [
  { model: "gpt-3.5-turbo", reported: 129 },
  { model: "gpt-4-0613", reported: 129 },
  { model: "gpt-4", reported: 129 },
  { model: "gpt-4o", reported: 124 },
  { model: "gpt-4o-mini", reported: 124 },
];

/** Whether an error is within a bound: within `tokens` tokens or within `ratio` of the reported count. */
export function withinBound(error, reported, bound) {
  return Math.abs(error) <= Math.max(bound.tokens, bound.ratio * reported);
}

/**
 * Counts every measured text with a tokenizer module (src or dist of this package) and returns the rows
 * of the accuracy table.
 */
export function accuracyRows(tokenizers) {
  const tokenizer = tokenizers.createTokenizer();
  const rows = [];
  for (const output of fixtureOutputs()) {
    const count = tokenizer.count({ provider: output.provider, model: output.model, input: output.text });
    const bound = typeof output.bound === "string" ? tokenizers.tokenizerFallbacks[output.bound].errorBound : output.bound;
    rows.push({ side: "output", source: output.fixture, model: output.model, compared: output.compared, reported: output.reported, counted: count.tokens, accuracy: count.accuracy, error: count.tokens - output.reported, bound });
  }
  for (const { model, reported } of cookbookReported) {
    const count = tokenizer.count({ provider: "openai", model, input: { messages: cookbookMessages } });
    rows.push({ side: "input", source: "OpenAI cookbook, How to count tokens with tiktoken (6 messages, 4 names)", model, compared: "`prompt_tokens`", reported, counted: count.tokens, accuracy: count.accuracy, error: count.tokens - reported, bound: { tokens: 0, ratio: 0 } });
  }
  return rows;
}

function formatBound(bound) {
  if (bound.tokens === 0 && bound.ratio === 0) return "exact";
  if (bound.ratio === 0) return `±${bound.tokens}`;
  if (bound.tokens === 0) return `±${(bound.ratio * 100).toFixed(0)}%`;
  return `±max(${bound.tokens}, ${(bound.ratio * 100).toFixed(0)}%)`;
}

/** The markdown table for the README. */
export function accuracyTable(rows) {
  const lines = [
    "| side | source | model | reported | counted | accuracy | error | error % | bound |",
    "|---|---|---|---:|---:|---|---:|---:|---|",
  ];
  for (const row of rows) {
    const percent = row.reported === 0 ? "—" : `${((row.error / row.reported) * 100).toFixed(1)}%`;
    const error = row.error > 0 ? `+${row.error}` : String(row.error);
    lines.push(`| ${row.side} | ${row.source} — ${row.compared} | ${row.model} | ${row.reported} | ${row.counted} | ${row.accuracy} | ${error} | ${percent} | ${formatBound(row.bound)} |`);
  }
  return lines.join("\n");
}
