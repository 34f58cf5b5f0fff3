import type { Dimensions } from "../event/usage-event";
import { createEventId } from "../event/create-event-id";
import { MeteringError } from "../errors/metering-error";
import { QuotaExceededError } from "../errors/quota-exceeded-error";
import { QuotaStoreError } from "../errors/quota-store-error";
import type { BodyEnd, ObservationV1, ProviderCallV1, RequestBodyV1, ResponseObserverV1 } from "../provider/provider-adapter-v1";
import { estimateCutUsage } from "../tokenizer/estimate-cut-usage";
import type { TokenizerV1 } from "../tokenizer/tokenizer-v1";
import type { LimitAdmission } from "../limits/limit-enforcer";
import type { MeteringEngine } from "./metering-engine";
import { instrumentResponse, type ResponseWatcher, type WholeBody } from "./instrument-response";
import { observeBody } from "./observe-body";
import { readRequestBody } from "./read-request-body";
import { isPromiseLike } from "../util/is-promise-like";

/**
 * What the dimension extractor sees of an outgoing call: its URL, method and headers, and its body
 * parsed as JSON when it was JSON (e.g. OpenAI's `user` or `metadata` fields), else undefined.
 */
export interface MeteredRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A `fetch` with the standard signature, as the provider SDKs take it. */
export type FetchFunction = typeof globalThis.fetch;

/** Options of `usage.createFetch`. */
export interface CreateFetchOptions {
  /** The fetch that really sends requests. Default: the global `fetch`, looked up at call time. */
  fetch?: FetchFunction;
  /** Request headers removed before the request leaves, e.g. the tenant headers the extractor reads. */
  stripHeaders?: readonly string[];
  /**
   * Ask OpenAI-style streams for their usage (`stream_options.include_usage`) when the caller did not.
   * The caller then sees one extra chunk with empty `choices`. Default true; without it a stream's usage
   * is not measured.
   */
  injectStreamUsage?: boolean;
  /**
   * When the caller cancels a stream, keep reading it upstream (discarding the bytes) to learn the
   * provider's final usage. Default false: the event is recorded as aborted with what was seen.
   */
  drainOnCancel?: boolean;
}

interface OutgoingCall {
  url: URL;
  method: string;
  headers: Headers;
}

// Headers the SDKs already built are read as they are; a copy is made only to strip some.
function headersOf(source: HeadersInit | undefined): Headers {
  return source instanceof Headers ? source : new Headers(source);
}

function describe(input: RequestInfo | URL, init: RequestInit | undefined): OutgoingCall | undefined {
  try {
    if (input instanceof Request) {
      return { url: new URL(input.url), method: (init?.method ?? input.method).toUpperCase(), headers: headersOf(init?.headers ?? input.headers) };
    }
    return { url: new URL(input instanceof URL ? input.href : input), method: (init?.method ?? "GET").toUpperCase(), headers: headersOf(init?.headers) };
  } catch {
    return undefined;
  }
}

function without(headers: Headers, names: readonly string[]): Headers {
  const copy = new Headers(headers);
  for (const name of names) copy.delete(name);
  return copy;
}

function rebuild(input: RequestInfo | URL, init: RequestInit | undefined, headers: Headers, body: string | undefined): [RequestInfo | URL, RequestInit | undefined] {
  if (body !== undefined) headers.delete("content-length");
  const changes: RequestInit = { headers, ...(body === undefined ? {} : { body }) };
  if (input instanceof Request) return [new Request(input, { ...init, ...changes }), undefined];
  return [input, { ...init, ...changes }];
}

/**
 * Builds the metered fetch. It derives dimensions, lets an adapter claim the call, sends it, passes the
 * response through untouched while the adapter observes it, and records one event when the body ends.
 * Metering never throws into the caller; the errors raised by design are a dimension policy refusal and
 * a quota refusal (`QuotaExceededError`, or `QuotaStoreError` when failing closed), before the request leaves.
 */
export function createMeteredFetch<D extends Dimensions>(
  engine: MeteringEngine,
  extract: (request: MeteredRequest) => unknown,
  options: CreateFetchOptions = {},
): FetchFunction {
  const injectStreamUsage = options.injectStreamUsage ?? true;
  const strip = (options.stripHeaders ?? []).map((name) => name.toLowerCase());

  const metered = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const upstream = options.fetch ?? globalThis.fetch;
    const outgoing = describe(input, init);
    let call: ProviderCallV1 | undefined;
    if (outgoing) {
      for (const adapter of engine.providers) {
        try {
          call = adapter.match(outgoing);
        } catch (error) {
          engine.reportError(new MeteringError({ message: `Provider adapter "${adapter.name}" failed to match ${outgoing.url.href}`, url: outgoing.url.href, cause: error }));
        }
        if (call) break;
      }
    }
    if (!outgoing || !call) {
      engine.countUnmetered();
      if (outgoing && strip.length > 0) return upstream(...rebuild(input, init, without(outgoing.headers, strip), undefined));
      return upstream(input, init);
    }

    const report = (message: string, cause?: unknown) =>
      engine.reportError(new MeteringError({ message, url: outgoing.url.href, provider: call.provider, ...(cause === undefined ? {} : { cause }) }));
    const timestamp = new Date();
    const started = performance.now();
    const pendingBody = readRequestBody(input, init);
    const body = isPromiseLike(pendingBody) ? await pendingBody : pendingBody;
    let extracted: Record<string, unknown> = {};
    try {
      const request: MeteredRequest = {
        url: outgoing.url.href,
        method: outgoing.method,
        headers: outgoing.headers,
        get body() {
          return body.json();
        },
      };
      const extractedValue = extract(request);
      const value = isPromiseLike(extractedValue) ? await extractedValue : extractedValue;
      if (typeof value === "object" && value !== null) extracted = value as Record<string, unknown>;
    } catch (error) {
      report(`The createFetch dimension extractor threw for ${outgoing.url.href}`, error);
    }
    // Throws only when the dimension policy says "reject": before anything leaves.
    const pendingDimensions = engine.resolveDimensions(extracted, outgoing.url.href);
    const { dimensions } = isPromiseLike(pendingDimensions) ? await pendingDimensions : pendingDimensions;

    let prepared: unknown;
    try {
      prepared = call.prepareBody?.(body, { injectStreamUsage });
    } catch (error) {
      report("Preparing the request body failed; sending it unchanged", error);
    }
    // Without limits there is no quota work at all. With them, this is where a call is refused (before
    // anything leaves) or its estimate reserved; the reservation settles when the event is recorded.
    let admission: LimitAdmission | undefined;
    if (engine.limits) {
      try {
        admission = await engine.limits.admit({ call, body, prepared, dimensions });
        if (admission.body !== undefined) prepared = admission.body;
      } catch (error) {
        if (QuotaExceededError.isInstance(error) || QuotaStoreError.isInstance(error)) throw error;
        // Anything else is a metering failure (a plan lookup returning nonsense...): it must not break the call.
        report("Checking limits failed; the call is sent unchecked", error);
      }
    }
    let newBody: string | undefined;
    if (prepared !== undefined) {
      try {
        newBody = JSON.stringify(prepared);
      } catch (error) {
        report("Preparing the request body failed; sending it unchanged", error);
      }
    }
    const [sendInput, sendInit] = newBody === undefined && strip.length === 0 ? [input, init] : rebuild(input, init, without(outgoing.headers, strip), newBody);
    const id = createEventId(timestamp.getTime());

    // Everything after the response is deferred: the caller has its answer before metering reads it.
    let completed = false;
    let resolveDone: (() => void) | undefined;
    const finish = (latencyMs: number, fill: () => { observation: ObservationV1; how: BodyEnd; status: number | undefined; providerRequestId: string | null; streamedResponse: boolean }) => {
      if (completed) return;
      completed = true;
      engine.defer(() => {
        try {
          const { observation, how, status, providerRequestId, streamedResponse } = fill();
          if (observation.problem) {
            report(`Usage of ${call.provider} ${call.operation} call ${providerRequestId ?? id}: ${observation.problem}`);
          }
          const model = observation.model ?? safely(() => call.requestedModel(body.json()), null);
          const counted = observation.usage === null ? countCutUsage(engine.tokenizer, call, model, body, observation) : null;
          const event = engine.record({
            schemaVersion: 1,
            id,
            timestamp: timestamp.toISOString(),
            dimensions: dimensions as D,
            provider: call.provider,
            operation: call.operation,
            model,
            usage: counted?.usage ?? observation.usage,
            units: observation.units ?? {},
            accuracy: counted?.accuracy ?? observation.accuracy,
            // An error the provider reported stands even when the caller then cancelled (SDKs cancel on it).
            status: (status ?? 0) >= 400 || observation.status === "error" ? "error" : how === "cancelled" ? "aborted" : observation.status,
            // A successful JSON answer settles it; only without one does the request say (parsing it then).
            streamed: streamedResponse || observation.streamed === true || ((status === undefined || status >= 400) && safely(() => call.isStreamRequest(body.json()), false)),
            latencyMs,
            providerRequestId,
          });
          admission?.settle(event);
        } finally {
          resolveDone?.();
        }
      });
    };

    const capacity = engine.waitForCapacity();
    if (capacity) await capacity;
    let response: Response;
    try {
      response = await upstream(sendInput, sendInit);
    } catch (error) {
      // No response: the provider may or may not have billed (a timeout after it accepted the request);
      // record it so it can be reconciled, then hand the caller its error untouched.
      const aborted = init?.signal?.aborted === true || (input instanceof Request && input.signal.aborted);
      finish(elapsed(started), () => ({ observation: { usage: null, status: aborted ? "aborted" : "error", accuracy: "estimated" }, how: "finished", status: undefined, providerRequestId: null, streamedResponse: false }));
      throw error;
    }

    const streamedResponse = (response.headers.get("content-type") ?? "").includes("text/event-stream");
    const providerRequestId = safely(() => call.providerRequestId(response.headers), null);
    let observer: ResponseObserverV1 | undefined;
    try {
      observer = call.observe({ url: outgoing.url, method: outgoing.method, headers: outgoing.headers, body }, { status: response.status, headers: response.headers });
    } catch (error) {
      report("Provider adapter failed to start observing the response", error);
    }

    let broken = observer === undefined;
    const adapterFailed = (error: unknown, what: string) => {
      broken = true;
      report(`Provider adapter failed ${what}`, error);
    };
    const unread = (how: BodyEnd): ObservationV1 => ({ usage: null, status: how === "finished" ? "ok" : "aborted", accuracy: "estimated", problem: "usage could not be read from the response" });
    const read = (how: BodyEnd, whole?: WholeBody): ObservationV1 => {
      if (!observer || broken) return unread(how);
      try {
        if (whole && observer.readWhole) return observer.readWhole(whole);
        if (whole && "text" in whole) observer.push(new TextEncoder().encode(whole.text));
        else if (whole && "json" in whole) observer.push(new TextEncoder().encode(JSON.stringify(whole.json)));
        return observer.end(how);
      } catch (error) {
        adapterFailed(error, "reading the response");
        return unread(how);
      }
    };
    const result = (how: BodyEnd, whole?: WholeBody) => () => ({ observation: read(how, whole), how, status: response.status, providerRequestId, streamedResponse });
    const watcher: ResponseWatcher = {
      chunk(bytes) {
        if (broken || !observer) return;
        try {
          observer.push(bytes);
        } catch (error) {
          adapterFailed(error, "reading a response chunk");
        }
      },
      end(how) {
        finish(elapsed(started), result(how));
      },
      whole(content) {
        finish(elapsed(started), result("finished", content));
      },
    };

    if (response.body === null) {
      watcher.end("finished");
      return response;
    }

    engine.trackInFlight(new Promise<void>((resolve) => (resolveDone = resolve)));
    const callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const watch = { drainOnCancel: options.drainOnCancel ?? false, isCallerAbort: () => callerSignal?.aborted === true };
    if (instrumentResponse(response, watcher, watch)) return response;
    // A response that cannot be instrumented in place is rebuilt around a watched body.
    const wrapped = new Response(observeBody(response.body, watcher, watch), { status: response.status, statusText: response.statusText, headers: response.headers });
    Object.defineProperty(wrapped, "url", { value: response.url });
    Object.defineProperty(wrapped, "redirected", { value: response.redirected });
    return wrapped;
  };
  return metered as FetchFunction;
}

/** A body that ended before the provider reported usage: what the tokenizer makes of what was seen. */
function countCutUsage(tokenizer: TokenizerV1 | undefined, call: ProviderCallV1, model: string | null, body: RequestBodyV1, observation: ObservationV1) {
  if (!tokenizer || !observation.partialOutput) return null;
  const input = call.countableInput ? safely(() => call.countableInput!(body.json()), null) : null;
  return estimateCutUsage({ tokenizer, provider: call.provider, model, input, output: observation.partialOutput, reportedInput: observation.reportedInput });
}

function elapsed(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
