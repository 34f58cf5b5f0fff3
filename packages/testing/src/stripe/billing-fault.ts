import type { IncomingMessage, ServerResponse } from "node:http";

/** A failure a fake billing server can inject into one call. */
export type BillingFaultKind = "429" | "500" | "timeout" | "drop";

/** One injected failure: what, and whether the call took effect before the answer failed. */
export interface BillingFault {
  kind: BillingFaultKind;
  /**
   * true: the call is applied (events stored), then the answer fails — the case that tests identifiers;
   * false: it fails before any effect. A 429 never takes effect. Default false.
   */
  afterEffect?: boolean;
  /** Only a call whose path matches takes this fault. Default: the next call, whatever its path. */
  path?: RegExp;
}

/** Faults at random on a share of calls. */
export interface BillingFaultPlan {
  /** The share of matching calls that fail, 0..1. Default 0. */
  rate: number;
  /** Kinds to draw from. Default all four. */
  kinds?: readonly BillingFaultKind[];
  /** Only calls whose path matches. Default: every call. */
  paths?: RegExp;
  /** Seed of the draw, so a failing run can be replayed. Default 1. */
  seed?: number;
  /** The Retry-After a 429 carries (seconds). Default 1. */
  retryAfterSeconds?: number;
  /** How long a "timeout" holds the call before dropping it (ms). Default 30,000. */
  timeoutMs?: number;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Queued and random faults for a fake server, and the counts of what was injected. */
export interface FaultInjector {
  /** Queues faults for the next matching calls, in order. */
  failNext(...faults: BillingFault[]): void;
  /** Replaces the random plan (rate 0 turns it off). */
  setPlan(plan: BillingFaultPlan | undefined): void;
  /** The fault for this call, if any. */
  draw(path: string): BillingFault | undefined;
  /** Injected faults so far, by kind. */
  readonly injected: Record<BillingFaultKind, number>;
  /** Answers with the fault: a 429 with Retry-After, a 500 in the provider's error shape, a held or dropped connection. */
  apply(fault: BillingFault, request: IncomingMessage, response: ServerResponse, errorBody: (status: 429 | 500) => string): void;
  /** Ends held calls (close()). */
  clear(): void;
}

const allKinds: readonly BillingFaultKind[] = ["429", "500", "timeout", "drop"];

/** The fault machinery both fake billing servers share. */
export function createFaultInjector(initial?: BillingFaultPlan): FaultInjector {
  const queue: BillingFault[] = [];
  let plan = initial;
  let random = createRandom(plan?.seed ?? 1);
  const held = new Set<NodeJS.Timeout>();
  const injected: Record<BillingFaultKind, number> = { "429": 0, "500": 0, timeout: 0, drop: 0 };
  return {
    injected,
    failNext(...faults) {
      queue.push(...faults);
    },
    setPlan(next) {
      plan = next;
      random = createRandom(next?.seed ?? 1);
    },
    draw(path) {
      const index = queue.findIndex((fault) => !fault.path || fault.path.test(path));
      if (index >= 0) return queue.splice(index, 1)[0];
      if (!plan || plan.rate <= 0 || (plan.paths && !plan.paths.test(path))) return undefined;
      if (random() >= plan.rate) return undefined;
      const kinds = plan.kinds ?? allKinds;
      const kind = kinds[Math.floor(random() * kinds.length)] ?? "500";
      return { kind, afterEffect: kind !== "429" && random() < 0.5 };
    },
    apply(fault, request, response, errorBody) {
      injected[fault.kind] += 1;
      if (fault.kind === "drop") {
        request.socket.destroy();
        return;
      }
      if (fault.kind === "timeout") {
        const timer = setTimeout(() => {
          held.delete(timer);
          request.socket.destroy();
        }, plan?.timeoutMs ?? 30_000);
        held.add(timer);
        return;
      }
      const status = fault.kind === "429" ? 429 : 500;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (status === 429) headers["retry-after"] = String(plan?.retryAfterSeconds ?? 1);
      response.writeHead(status, headers).end(errorBody(status));
    },
    clear() {
      for (const timer of held) clearTimeout(timer);
      held.clear();
    },
  };
}
