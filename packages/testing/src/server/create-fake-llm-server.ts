import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { FakeLlmAnswer } from "../fake-llm-answer";
import { safeParseJson } from "../util/safe-parse-json";
import { defaultAnswer } from "./default-answer";
import { extractServedUsage } from "./extract-served-usage";
import { planAnswer, type AnswerPlan } from "./plan-answer";
import type { RecordedRequest } from "./recorded-request";
import { sendAnswerPlan } from "./send-answer-plan";
import type { ServedAnswer } from "./served-answer";

/** Options of `createFakeLlmServer`. */
export interface CreateFakeLlmServerOptions {
  /** Answers to queue before the first request, in order. Default none (every request gets the default answer). */
  answers?: FakeLlmAnswer[];
  /**
   * The answer to a request when the queue is empty, chosen from the request itself (e.g. by a tenant
   * header or the prompt's size), for concurrent traffic where a FIFO queue cannot say who gets what.
   * Default: `defaultAnswer` (chat 10 in, 20 out; responses; embeddings; 404 elsewhere).
   */
  answer?: (request: RecordedRequest) => FakeLlmAnswer;
}

/** A running fake OpenAI-compatible server. */
export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `${url}/v1`, to pass as an OpenAI client's `baseURL`. */
  readonly baseURL: string;
  /** Every request received, in arrival order. The array is live: it grows as requests come in. */
  readonly requests: readonly RecordedRequest[];
  /** What was sent for each request, in the same order as `requests`. Live, like `requests`. */
  readonly served: readonly ServedAnswer[];
  /** Scripted answers not yet taken by a request. */
  readonly pending: number;
  /** Appends answers to the queue; each request takes the next one (FIFO). */
  enqueue(...answers: FakeLlmAnswer[]): void;
  /** Forgets recorded requests and served answers and empties the queue. */
  reset(): void;
  /** Stops listening and destroys open sockets, so it never waits on a keep-alive or a slow stream. Idempotent. */
  close(): Promise<void>;
}

/** Lowercase header record; Node already lowercases names, repeated headers are joined. */
function headerRecord(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A 500 that names the broken script (e.g. a missing fixture) instead of a hung or reset request. */
function failurePlan(error: unknown): AnswerPlan {
  const message = `fake LLM server could not build the answer: ${error instanceof Error ? error.message : String(error)}`;
  const body = new TextEncoder().encode(JSON.stringify({ error: { message, type: "fake_llm_server_error", param: null, code: null } }));
  return { status: 500, headers: { "content-type": "application/json" }, pieces: [body], delayMs: 0, fixedLength: true, cut: false };
}

/**
 * Starts a fake OpenAI-compatible LLM server on 127.0.0.1 at a random port. It records every
 * request, answers each with the next scripted answer (replayed fixtures, synthesised chat /
 * responses / embeddings answers with chosen usage, errors, cut or broken streams, raw bytes), and
 * falls back to a default answer per endpoint when the queue is empty. Endpoints are matched on the
 * path suffix, so Azure (`/openai/deployments/<name>/chat/completions?api-version=…`) and proxy
 * prefixes (`/api/v1/…`) work too.
 *
 * @example
 * const server = await createFakeLlmServer();
 * server.enqueue({ kind: "chat", usage: { prompt_tokens: 12, completion_tokens: 34 } });
 * const response = await fetch(`${server.baseURL}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "gpt-4o-mini", messages: [] }) });
 * await server.close();
 */
export async function createFakeLlmServer(options: CreateFakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const queue: FakeLlmAnswer[] = [...(options.answers ?? [])];
  const requests: RecordedRequest[] = [];
  const served: ServedAnswer[] = [];
  const sockets = new Set<Socket>();
  // Aborted on close, so pending delays and backpressure waits end at once.
  const closing = new AbortController();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const parsed = body === "" ? undefined : safeParseJson(body);
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      path: request.url ?? "/",
      headers: headerRecord(request),
      body,
      json: parsed?.ok ? parsed.value : undefined,
    };
    requests.push(recorded);
    const answer = queue.shift() ?? (options.answer ?? defaultAnswer)(recorded);
    let plan: AnswerPlan;
    try {
      plan = { ...planAnswer({ answer, request: recorded }), headersDelayMs: answer.headersDelayMs ?? 0 };
    } catch (error) {
      plan = failurePlan(error);
    }
    const entry: ServedAnswer = { path: recorded.path, kind: answer.kind, status: plan.status, usage: null, cut: plan.cut };
    served.push(entry);
    await sendAnswerPlan({
      response,
      plan,
      signal: closing.signal,
      beforeFinish: (written) => {
        const contentType = plan.headers["content-type"] ?? "";
        entry.usage = extractServedUsage({ contentType, bytes: Buffer.concat(written) });
      },
    });
  }

  const server = createServer({ noDelay: true }, (request, response) => {
    handle(request, response).catch(() => {
      // The client went away mid-request or the server is closing: nothing left to answer.
      response.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    served,
    get pending() {
      return queue.length;
    },
    enqueue(...answers) {
      queue.push(...answers);
    },
    reset() {
      // In place, so arrays a test already holds stay live.
      requests.length = 0;
      served.length = 0;
      queue.length = 0;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
