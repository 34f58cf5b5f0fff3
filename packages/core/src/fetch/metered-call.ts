import type { DeferredTask } from "../batch/deferred-work";
import { createEventId } from "../event/create-event-id";
import type { Dimensions, UsageStatus } from "../event/usage-event";
import { MeteringError } from "../errors/metering-error";
import type { LimitAdmission } from "../limits/limit-enforcer";
import type { BodyEnd, ObservationV1, ProviderCallV1, ResponseObserverV1 } from "../provider/provider-adapter-v1";
import { estimateCutUsage } from "../tokenizer/estimate-cut-usage";
import { isoTimestamp } from "../util/iso-timestamp";
import type { CallRequest } from "./call-request";
import { instrumentResponse, type ResponseWatcher, type WholeBody } from "./instrument-response";
import type { MeteringEngine } from "./metering-engine";
import { observeBody, type WatchOptions } from "./observe-body";

const encoder = new TextEncoder();

/**
 * One metered call from the moment an adapter claims it until its event is recorded. It watches the
 * response body (as `ResponseWatcher`) and records the event later (as a `DeferredTask`): one object per
 * call with its methods on the prototype, since a call's cost is mostly allocation.
 */
export class MeteredCall<D extends Dimensions> implements ResponseWatcher, WatchOptions, DeferredTask {
  readonly timestamp = Date.now();
  private readonly started = performance.now();
  dimensions: Dimensions = {};
  admission: LimitAdmission | undefined;

  /**
   * Held until what the event needs of it is read: when the event is recorded, for a body read whole
   * (the caller's path stays short; a JSON call's recording follows within the batch delay); when the
   * body ends, for a stream (whose response would otherwise be held for as long again as it lasted).
   */
  private response: Response | undefined;
  /** The body as the caller read it whole, held (with the response) until the event is recorded. */
  private wholeBody: WholeBody | undefined;
  // Read from the response, then let go of it (`readResponse`).
  private status: number | undefined;
  private providerRequestId: string | null = null;
  private streamedResponse = false;
  private callerSignal: AbortSignal | null | undefined;
  private observer: ResponseObserverV1 | undefined;
  /** Set when the request got no response at all. */
  private failure: UsageStatus | undefined;
  private broken = false;
  private completed = false;
  private counted = false;
  private how: BodyEnd = "finished";
  private latencyMs = 0;

  constructor(
    private readonly engine: MeteringEngine,
    private readonly call: ProviderCallV1,
    private readonly request: CallRequest,
    readonly drainOnCancel: boolean,
  ) {}

  report(message: string, cause?: unknown): void {
    this.engine.reportError(new MeteringError({ message, url: this.request.url.href, provider: this.call.provider, ...(cause === undefined ? {} : { cause }) }));
  }

  isCallerAbort(): boolean {
    return this.callerSignal?.aborted === true;
  }

  /** The request failed without a response: recorded as aborted (the caller's signal) or error. */
  noResponse(aborted: boolean): void {
    this.failure = aborted ? "aborted" : "error";
    this.complete("finished", undefined);
  }

  /**
   * Starts watching the response; returns what the caller gets (the same object whenever possible). The
   * adapter starts observing at the first chunk, or after the caller has its answer when the body is read
   * whole (`json()`, `text()`), so a plain JSON call does none of that work on the caller's time.
   */
  watch(response: Response, callerSignal: AbortSignal | null | undefined): Response {
    this.response = response;
    this.callerSignal = callerSignal;
    if (response.body === null) {
      this.end("finished");
      return response;
    }
    this.counted = true;
    this.engine.responseStarted();
    if (instrumentResponse(response, this, this)) return response;
    // A response that cannot be instrumented in place is rebuilt around a watched body.
    const wrapped = new Response(observeBody(response.body, this, this), { status: response.status, statusText: response.statusText, headers: response.headers });
    Object.defineProperty(wrapped, "url", { value: response.url });
    Object.defineProperty(wrapped, "redirected", { value: response.redirected });
    return wrapped;
  }

  chunk(bytes: Uint8Array): void {
    const observer = this.startObserving();
    if (!observer || this.broken) return;
    try {
      observer.push(bytes);
    } catch (error) {
      this.adapterFailed(error, "reading a response chunk");
    }
  }

  end(how: BodyEnd): void {
    this.complete(how, undefined);
  }

  whole(body: WholeBody): void {
    this.complete("finished", body);
  }

  private complete(how: BodyEnd, whole: WholeBody | undefined): void {
    if (this.completed) return;
    this.completed = true;
    this.latencyMs = Math.max(0, Math.round(performance.now() - this.started));
    this.how = how;
    if (whole) this.wholeBody = whole;
    else this.readResponse();
    this.engine.defer(this);
    // Queued before it stops counting as in flight: shutdown, once none is, drains the queue.
    if (this.counted) {
      this.counted = false;
      this.engine.responseEnded();
    }
  }

  /** Reads what the event needs of the response (its observer started first) and lets go of it. */
  private readResponse(): void {
    const response = this.response;
    if (!response) return;
    this.startObserving();
    this.response = undefined;
    this.status = response.status;
    this.providerRequestId = this.requestIdOf(response.headers);
    // A body the caller's json() parsed was not an event stream.
    const whole = this.wholeBody;
    this.streamedResponse = !(whole && "json" in whole) && (response.headers.get("content-type") ?? "").includes("text/event-stream");
  }

  /** The adapter's observer of the response, started on first use; undefined once the adapter failed. */
  private startObserving(): ResponseObserverV1 | undefined {
    if (this.observer || this.broken) return this.observer;
    const response = this.response;
    if (!response) return undefined;
    try {
      this.observer = this.call.observe(this.request, { status: response.status, headers: response.headers });
    } catch (error) {
      this.report("Provider adapter failed to start observing the response", error);
      this.broken = true;
    }
    return this.observer;
  }

  /** Records the event: deferred, so the caller has its answer before metering reads it. */
  run(): void {
    const { call, how } = this;
    const body = this.request.body;
    // The id carries the call's start time (UUIDv7); made here, off the caller's path.
    const id = createEventId(this.timestamp);
    this.readResponse();
    const { status, providerRequestId, streamedResponse, observer } = this;
    // Let go of the parsed body: the event keeps only what the observer reads of it.
    const whole = this.wholeBody;
    this.wholeBody = undefined;
    const observation = this.observation(observer, whole);
    if (observation.problem) {
      this.report(`Usage of ${call.provider} ${call.operation} call ${providerRequestId ?? id}: ${observation.problem}`);
    }
    let model = observation.model ?? null;
    if (observation.model == null) {
      try {
        model = call.requestedModel(body.json());
      } catch {
        model = null;
      }
    }
    const counted = observation.usage === null ? this.countCutUsage(model, observation) : null;
    const event = this.engine.record({
      schemaVersion: 1,
      id,
      timestamp: isoTimestamp(this.timestamp),
      dimensions: this.dimensions as D,
      provider: call.provider,
      operation: call.operation,
      model,
      usage: counted?.usage ?? observation.usage,
      units: observation.units ?? {},
      accuracy: counted?.accuracy ?? observation.accuracy,
      // An error the provider reported stands even when the caller then cancelled (SDKs cancel on it).
      status: (status ?? 0) >= 400 || observation.status === "error" ? "error" : how === "cancelled" ? "aborted" : observation.status,
      // A successful JSON answer settles it; only without one does the request say (parsing it then).
      streamed: streamedResponse || observation.streamed === true || ((status === undefined || status >= 400) && this.askedForStream()),
      latencyMs: this.latencyMs,
      providerRequestId,
      cost: null,
    });
    this.admission?.settle(event);
  }

  private observation(observer: ResponseObserverV1 | undefined, whole: WholeBody | undefined): ObservationV1 {
    if (this.failure) return { usage: null, status: this.failure, accuracy: "estimated" };
    return whole ? this.readWhole(observer, whole) : this.endObserving(observer);
  }

  private requestIdOf(headers: Headers): string | null {
    try {
      return this.call.providerRequestId(headers);
    } catch {
      return null;
    }
  }

  /** The observation of a body read as it passed, once it ended. */
  private endObserving(observer: ResponseObserverV1 | undefined): ObservationV1 {
    const { how } = this;
    if (!observer || this.broken) return unread(how);
    try {
      return observer.end(how);
    } catch (error) {
      this.adapterFailed(error, "reading the response");
      return unread(how);
    }
  }

  /** The observation of a body the caller read whole. */
  private readWhole(observer: ResponseObserverV1 | undefined, whole: WholeBody): ObservationV1 {
    if (!observer || this.broken) return unread("finished");
    try {
      if (observer.readWhole) return observer.readWhole(whole);
      if ("text" in whole) observer.push(encoder.encode(whole.text));
      else if ("json" in whole) observer.push(encoder.encode(JSON.stringify(whole.json)));
      return observer.end("finished");
    } catch (error) {
      this.adapterFailed(error, "reading the response");
      return unread("finished");
    }
  }

  private askedForStream(): boolean {
    try {
      return this.call.isStreamRequest(this.request.body.json());
    } catch {
      return false;
    }
  }

  /** A body that ended before the provider reported usage: what the tokenizer makes of what was seen. */
  private countCutUsage(model: string | null, observation: ObservationV1) {
    const tokenizer = this.engine.tokenizer;
    if (!tokenizer || !observation.partialOutput) return null;
    let input = null;
    if (this.call.countableInput) {
      try {
        input = this.call.countableInput(this.request.body.json());
      } catch {
        input = null;
      }
    }
    return estimateCutUsage({ tokenizer, provider: this.call.provider, model, input, output: observation.partialOutput, reportedInput: observation.reportedInput });
  }

  private adapterFailed(error: unknown, what: string): void {
    this.broken = true;
    this.report(`Provider adapter failed ${what}`, error);
  }
}

function unread(how: BodyEnd): ObservationV1 {
  return { usage: null, status: how === "finished" ? "ok" : "aborted", accuracy: "estimated", problem: "usage could not be read from the response" };
}
