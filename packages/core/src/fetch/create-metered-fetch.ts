import type { Dimensions } from "../event/usage-event";
import { MeteringError } from "../errors/metering-error";
import { QuotaExceededError } from "../errors/quota-exceeded-error";
import { QuotaStoreError } from "../errors/quota-store-error";
import type { LimitAdmission } from "../limits/limit-enforcer";
import type { ProviderCallV1 } from "../provider/provider-adapter-v1";
import { createBoundedMemo } from "../util/bounded-memo";
import { isPromiseLike } from "../util/is-promise-like";
import { CallRequest } from "./call-request";
import { MeteredCall } from "./metered-call";
import type { MeteringEngine } from "./metering-engine";
import { readRequestBody } from "./read-request-body";

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

// Parsed URLs, per metered fetch: an SDK calls the same few addresses over and over.
const maxRememberedURLs = 256;

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

/** The first adapter that claims the call; an adapter that throws is reported and skipped. */
function claim(engine: MeteringEngine, request: CallRequest): ProviderCallV1 | undefined {
  for (const adapter of engine.providers) {
    try {
      const call = adapter.match(request);
      if (call) return call;
    } catch (error) {
      engine.reportError(new MeteringError({ message: `Provider adapter "${adapter.name}" failed to match ${request.url.href}`, url: request.url.href, cause: error }));
    }
  }
  return undefined;
}

/** What the extractor is handed: the body is parsed only if it asks for it. */
class ExtractorRequest implements MeteredRequest {
  constructor(private readonly request: CallRequest) {}
  get url(): string {
    return this.request.url.href;
  }
  get method(): string {
    return this.request.method;
  }
  get headers(): Headers {
    return this.request.headers;
  }
  get body(): unknown {
    return this.request.body.json();
  }
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
  const drainOnCancel = options.drainOnCancel ?? false;
  const strip = (options.stripHeaders ?? []).map((name) => name.toLowerCase());
  const urls = createBoundedMemo<URL | null>(maxRememberedURLs);

  const metered = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const upstream = options.fetch ?? globalThis.fetch;
    const request = CallRequest.describe(input, init, urls);
    const call = request === undefined ? undefined : claim(engine, request);
    if (!request || !call) {
      engine.countUnmetered();
      if (request && strip.length > 0) return upstream(...rebuild(input, init, without(request.headers, strip), undefined));
      return upstream(input, init);
    }

    const metering = new MeteredCall<D>(engine, call, request, drainOnCancel);
    const pendingBody = readRequestBody(input, init);
    request.body = isPromiseLike(pendingBody) ? await pendingBody : pendingBody;
    let extracted: Record<string, unknown> = {};
    try {
      const extractedValue = extract(new ExtractorRequest(request));
      const value = isPromiseLike(extractedValue) ? await extractedValue : extractedValue;
      if (typeof value === "object" && value !== null) extracted = value as Record<string, unknown>;
    } catch (error) {
      metering.report(`The createFetch dimension extractor threw for ${request.url.href}`, error);
    }
    // Throws only when the dimension policy says "reject": before anything leaves.
    const pendingDimensions = engine.resolveDimensions(extracted, request.url.href);
    metering.dimensions = (isPromiseLike(pendingDimensions) ? await pendingDimensions : pendingDimensions).dimensions;

    let prepared: unknown;
    try {
      prepared = call.prepareBody?.(request.body, { injectStreamUsage });
    } catch (error) {
      metering.report("Preparing the request body failed; sending it unchanged", error);
    }
    // Without limits there is no quota work at all. With them, this is where a call is refused (before
    // anything leaves) or its estimate reserved; the reservation settles when the event is recorded.
    if (engine.limits) {
      try {
        const admission: LimitAdmission = await engine.limits.admit({ call, body: request.body, prepared, dimensions: metering.dimensions });
        metering.admission = admission;
        if (admission.body !== undefined) prepared = admission.body;
      } catch (error) {
        if (QuotaExceededError.isInstance(error) || QuotaStoreError.isInstance(error)) throw error;
        // Anything else is a metering failure (a plan lookup returning nonsense...): it must not break the call.
        metering.report("Checking limits failed; the call is sent unchecked", error);
      }
    }
    let newBody: string | undefined;
    if (prepared !== undefined) {
      try {
        newBody = JSON.stringify(prepared);
      } catch (error) {
        metering.report("Preparing the request body failed; sending it unchanged", error);
      }
    }
    const [sendInput, sendInit] = newBody === undefined && strip.length === 0 ? [input, init] : rebuild(input, init, without(request.headers, strip), newBody);

    const capacity = engine.waitForCapacity();
    if (capacity) await capacity;
    const callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    let response: Response;
    try {
      response = await upstream(sendInput, sendInit);
    } catch (error) {
      // No response: the provider may or may not have billed (a timeout after it accepted the request);
      // record it so it can be reconciled, then hand the caller its error untouched.
      metering.noResponse(callerSignal?.aborted === true);
      throw error;
    }
    return metering.watch(response, callerSignal);
  };
  return metered as FetchFunction;
}
