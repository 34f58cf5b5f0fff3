import type { Dimensions } from "../event/usage-event";
import { createEventId } from "../event/create-event-id";
import { MeteringError } from "../errors/metering-error";
import type { BodyEnd, ObservationV1, ProviderCallV1, ResponseObserverV1 } from "../provider/provider-adapter-v1";
import type { MeteringEngine } from "./metering-engine";
import { observeBody } from "./observe-body";
import { readRequestBody } from "./read-request-body";

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

function describe(input: RequestInfo | URL, init: RequestInit | undefined): OutgoingCall | undefined {
  try {
    if (input instanceof Request) {
      return { url: new URL(input.url), method: (init?.method ?? input.method).toUpperCase(), headers: new Headers(init?.headers ?? input.headers) };
    }
    return { url: new URL(input instanceof URL ? input.href : input), method: (init?.method ?? "GET").toUpperCase(), headers: new Headers(init?.headers) };
  } catch {
    return undefined;
  }
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
 * Metering never throws into the caller; the one error raised by design is a dimension policy refusal,
 * before the request leaves.
 */
export function createMeteredFetch<D extends Dimensions>(
  engine: MeteringEngine,
  extract: (request: Request) => unknown,
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
      if (outgoing && strip.length > 0) {
        for (const name of strip) outgoing.headers.delete(name);
        return upstream(...rebuild(input, init, outgoing.headers, undefined));
      }
      return upstream(input, init);
    }

    const timestamp = new Date();
    const started = performance.now();
    let extracted: Record<string, unknown> = {};
    try {
      const value = await extract(new Request(outgoing.url, { method: outgoing.method === "GET" || outgoing.method === "HEAD" ? outgoing.method : "POST", headers: outgoing.headers }));
      if (typeof value === "object" && value !== null) extracted = value as Record<string, unknown>;
    } catch (error) {
      engine.reportError(new MeteringError({ message: `The createFetch dimension extractor threw for ${outgoing.url.href}`, url: outgoing.url.href, provider: call.provider, cause: error }));
    }
    // Throws only when the dimension policy says "reject": before anything leaves.
    const { dimensions } = await engine.resolveDimensions(extracted, outgoing.url.href);

    const body = await readRequestBody(input, init);
    let newBody: string | undefined;
    try {
      const prepared = call.prepareBody?.(body, { injectStreamUsage });
      if (prepared !== undefined) newBody = JSON.stringify(prepared);
    } catch (error) {
      engine.reportError(new MeteringError({ message: "Preparing the request body failed; sending it unchanged", url: outgoing.url.href, provider: call.provider, cause: error }));
    }
    for (const name of strip) outgoing.headers.delete(name);
    const [sendInput, sendInit] = newBody === undefined && strip.length === 0 ? [input, init] : rebuild(input, init, outgoing.headers, newBody);

    const requestedModel = safely(() => call.requestedModel(body), null);
    const streamRequested = safely(() => call.isStreamRequest(body), false);
    const base = {
      schemaVersion: 1 as const,
      id: createEventId(timestamp.getTime()),
      timestamp: timestamp.toISOString(),
      dimensions: dimensions as D,
      provider: call.provider,
      operation: call.operation,
    };

    await engine.waitForCapacity();
    let response: Response;
    try {
      response = await upstream(sendInput, sendInit);
    } catch (error) {
      // No response: the provider may or may not have billed (a timeout after it accepted the request);
      // record it so it can be reconciled, then hand the caller its error untouched.
      const aborted = init?.signal?.aborted === true || (input instanceof Request && input.signal.aborted);
      engine.record({ ...base, model: requestedModel, usage: null, units: {}, accuracy: "estimated", status: aborted ? "aborted" : "error", streamed: streamRequested, latencyMs: elapsed(started), providerRequestId: null });
      throw error;
    }

    const providerRequestId = safely(() => call.providerRequestId(response.headers), null);
    const streamed = streamRequested || (response.headers.get("content-type") ?? "").includes("text/event-stream");
    let observer: ResponseObserverV1 | undefined;
    try {
      observer = call.observe({ url: outgoing.url, method: outgoing.method, headers: outgoing.headers, body }, { status: response.status, headers: response.headers });
    } catch (error) {
      engine.reportError(new MeteringError({ message: "Provider adapter failed to start observing the response", url: outgoing.url.href, provider: call.provider, cause: error }));
    }

    const complete = (how: BodyEnd, observation: ObservationV1) => {
      if (observation.problem) {
        engine.reportError(new MeteringError({ message: `Usage of ${call.provider} ${call.operation} call ${providerRequestId ?? base.id}: ${observation.problem}`, url: outgoing.url.href, provider: call.provider }));
      }
      // An error the provider reported stands even when the caller then cancelled (SDKs cancel on it).
      const status = response.status >= 400 || observation.status === "error" ? "error" : how === "cancelled" ? "aborted" : observation.status;
      engine.record({
        ...base,
        model: observation.model ?? requestedModel,
        usage: observation.usage,
        units: observation.units ?? {},
        accuracy: observation.accuracy,
        status,
        streamed,
        latencyMs: elapsed(started),
        providerRequestId,
      });
    };

    let broken = observer === undefined;
    const endObserver = (how: BodyEnd): ObservationV1 => {
      if (observer && !broken) {
        try {
          return observer.end(how);
        } catch (error) {
          engine.reportError(new MeteringError({ message: "Provider adapter failed reading the response", url: outgoing.url.href, provider: call.provider, cause: error }));
        }
      }
      return { usage: null, status: how === "finished" ? "ok" : "aborted", accuracy: "estimated", problem: "usage could not be read from the response" };
    };

    if (response.body === null) {
      complete("finished", endObserver("finished"));
      return response;
    }

    let resolveDone!: () => void;
    engine.trackInFlight(new Promise<void>((resolve) => (resolveDone = resolve)));
    const callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const observed = observeBody(
      response.body,
      {
        chunk(bytes) {
          if (broken || !observer) return;
          try {
            observer.push(bytes);
          } catch (error) {
            broken = true;
            engine.reportError(new MeteringError({ message: "Provider adapter failed reading a response chunk", url: outgoing.url.href, provider: call.provider, cause: error }));
          }
        },
        end(how) {
          complete(how, endObserver(how));
          resolveDone();
        },
      },
      { drainOnCancel: options.drainOnCancel ?? false, isCallerAbort: () => callerSignal?.aborted === true },
    );
    const wrapped = new Response(observed, { status: response.status, statusText: response.statusText, headers: response.headers });
    // Keep what a Response built from parts loses; SDKs read `url` in errors and logs.
    Object.defineProperty(wrapped, "url", { value: response.url });
    Object.defineProperty(wrapped, "redirected", { value: response.redirected });
    return wrapped;
  };
  return metered as FetchFunction;
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
