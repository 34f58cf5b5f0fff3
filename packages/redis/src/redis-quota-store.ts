import { quotaBuckets, type QuotaCounterStateV1, type QuotaCounterV1, type QuotaCrossingV1, type QuotaEntryV1, type QuotaReserveResultV1, type QuotaStoreV1 } from "@usagepilot/core";
import type { Cluster, Redis } from "ioredis";
import { readScript, reserveScript, seedScript, settleScript } from "./quota-lua-scripts";

/** Options of `RedisQuotaStore`. */
export interface RedisQuotaStoreOptions {
  /**
   * An ioredis client or Cluster. The store defines its Lua commands on it (sent with EVALSHA, loaded on
   * first use). For a fast fail while Redis is down, create it with `enableOfflineQueue: false`;
   * otherwise commands queue until `timeoutMs`.
   */
  redis: Redis | Cluster;
  /** Prefix of every key. Default "usagepilot:quota". */
  prefix?: string;
  /**
   * Longest wait for one store operation, ms; past it the operation counts as failed and the limits'
   * `onStoreUnavailable` policy applies. Default 1000.
   */
  timeoutMs?: number;
}

type Reply = [number, number, number];

/** The commands `defineCommand` adds to the client. */
interface QuotaCommands {
  usagepilotQuotaReserve(...args: string[]): Promise<Reply>;
  usagepilotQuotaSettle(...args: string[]): Promise<number[]>;
  usagepilotQuotaSeed(...args: string[]): Promise<number>;
  usagepilotQuotaRead(...args: string[]): Promise<Reply>;
}

const defined = new WeakSet<object>();

function defineCommands(redis: Redis | Cluster): QuotaCommands {
  if (!defined.has(redis)) {
    redis.defineCommand("usagepilotQuotaReserve", { numberOfKeys: 3, lua: reserveScript });
    redis.defineCommand("usagepilotQuotaSettle", { numberOfKeys: 4, lua: settleScript });
    redis.defineCommand("usagepilotQuotaSeed", { numberOfKeys: 1, lua: seedScript });
    redis.defineCommand("usagepilotQuotaRead", { numberOfKeys: 3, lua: readScript });
    defined.add(redis);
  }
  return redis as unknown as QuotaCommands;
}

/**
 * Quota counters shared by every instance through Redis: atomic Lua scripts, one counter per script
 * call, all keys of a counter under one hash tag (`{prefix:counter}`), so it works on Redis Cluster.
 *
 * A reservation over several counters (an organisation budget and a user budget) reserves each counter
 * atomically, all at once; if one refuses, the others are released again (compensation). Meanwhile
 * another call may see that short-lived reservation; it then waits (a reservation in flight never
 * refuses a call whose budget has room once it settles), so compensation cannot cause a false refusal.
 * Reservations carry an expiry, so a crashed instance's reservations lapse on their own.
 *
 * @example
 * import Redis from "ioredis";
 * const usage = new UsagePilot({ storage, providers, limits: { rules, store: new RedisQuotaStore({ redis: new Redis(process.env.REDIS_URL) }) } });
 */
export class RedisQuotaStore implements QuotaStoreV1 {
  readonly specificationVersion = "v1" as const;
  private readonly commands: QuotaCommands;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(options: RedisQuotaStoreOptions) {
    this.commands = defineCommands(options.redis);
    this.prefix = options.prefix ?? "usagepilot:quota";
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  async reserve(request: { reservationId: string; now: number; ttlMs: number; entries: readonly QuotaEntryV1[] }): Promise<QuotaReserveResultV1> {
    const { reservationId, now } = request;
    const expiry = now + request.ttlMs;
    const replies = await this.bounded(
      Promise.allSettled(
        request.entries.map((entry) => {
          const { oldest, expiresAt } = quotaBuckets(entry.counter, now);
          return this.commands.usagepilotQuotaReserve(
            ...this.keys(entry.counter, 3),
            String(now),
            reservationId,
            integer(entry.amount),
            integer(entry.counter.limit),
            entry.counter.block ? "1" : "0",
            String(expiry),
            String(oldest),
            String(Math.max(expiresAt, expiry)),
          );
        }),
      ),
    );
    const reserved = replies.flatMap((reply, index) => (reply.status === "fulfilled" && Number(reply.value[0]) === 0 ? [index] : []));
    if (reserved.length === request.entries.length) return { outcome: "reserved" };
    // Not all reserved: give back the ones that were, so the reservation stays all-or-nothing.
    const failure = replies.find((reply) => reply.status === "rejected");
    try {
      await this.release(reservationId, now, reserved.map((index) => request.entries[index]!));
    } catch (error) {
      // Redis failing mid-way: what could not be given back lapses with the reservation's expiry.
      throw failure?.reason ?? error;
    }
    if (failure) throw failure.reason;
    const codes = replies.map((reply) => (reply as PromiseFulfilledResult<Reply>).value);
    const unseeded = codes.flatMap((reply, index) => (Number(reply[0]) === -1 ? [index] : []));
    if (unseeded.length > 0) return { outcome: "unseeded", indexes: unseeded };
    // The first refusal in rule order: a real "exceeded" anywhere wins over "pending".
    const exceeded = codes.findIndex((reply) => Number(reply[0]) === 2);
    const index = exceeded !== -1 ? exceeded : codes.findIndex((reply) => Number(reply[0]) === 1);
    const reply = codes[index]!;
    return { outcome: exceeded !== -1 ? "exceeded" : "pending", index, used: Number(reply[1]), reserved: Number(reply[2]) };
  }

  async settle(request: { reservationId: string; now: number; at: number; entries: readonly (QuotaEntryV1 & { thresholds?: readonly number[] })[] }): Promise<QuotaCrossingV1[]> {
    const replies = await this.bounded(
      Promise.all(
        request.entries.map((entry) => {
          const { bucket, oldest, expiresAt } = quotaBuckets(entry.counter, request.now, request.at);
          return this.commands.usagepilotQuotaSettle(
            ...this.keys(entry.counter, 4),
            request.reservationId,
            integer(entry.amount),
            String(bucket),
            String(oldest),
            integer(entry.counter.limit),
            (entry.thresholds ?? []).map((threshold) => integer(threshold)).join(","),
            String(expiresAt),
            String(expiresAt),
          );
        }),
      ),
    );
    const crossings: QuotaCrossingV1[] = [];
    replies.forEach((reply, index) => {
      for (let position = 0; position + 1 < reply.length; position += 2) crossings.push({ index, threshold: Number(reply[position]), used: Number(reply[position + 1]) });
    });
    return crossings;
  }

  async seed(request: { now: number; counter: QuotaCounterV1; amounts: readonly { at: number; amount: number }[] }): Promise<boolean> {
    const { expiresAt } = quotaBuckets(request.counter, request.now);
    const pairs = request.amounts.flatMap(({ at, amount }) => [String(quotaBuckets(request.counter, request.now, at).bucket), integer(amount)]);
    const [usageKey] = this.keys(request.counter, 1);
    return Number(await this.bounded(this.commands.usagepilotQuotaSeed(usageKey!, String(expiresAt), ...pairs))) === 1;
  }

  async read(request: { now: number; counters: readonly QuotaCounterV1[] }): Promise<QuotaCounterStateV1[]> {
    const replies = await this.bounded(Promise.all(request.counters.map((counter) => this.commands.usagepilotQuotaRead(...this.keys(counter, 3), String(request.now), String(quotaBuckets(counter, request.now).oldest)))));
    return replies.map((reply) => ({ seeded: Number(reply[0]) === 1, used: Number(reply[1]), reserved: Number(reply[2]) }));
  }

  private async release(reservationId: string, now: number, entries: readonly QuotaEntryV1[]): Promise<void> {
    if (entries.length === 0) return;
    await this.settle({ reservationId, now, at: now, entries: entries.map((entry) => ({ counter: entry.counter, amount: 0 })) });
  }

  /** The counter's keys, all under one hash tag so that they live on one Cluster slot. */
  private keys(counter: QuotaCounterV1, count: number): string[] {
    // Braces in an id would end the hash tag early; they are escaped so each counter keeps its own tag.
    const tag = `{${this.prefix}:${counter.id.replace(/[{}]/g, (brace) => (brace === "{" ? "%7B" : "%7D"))}}`;
    return ["u", "r", "e", "t"].slice(0, count).map((suffix) => `${tag}:${suffix}`);
  }

  /** Fails an operation that takes longer than `timeoutMs` (Redis down, commands queued). */
  private bounded<T>(operation: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
  }
}

/** A counter amount as the decimal integer string the scripts add with HINCRBY. */
function integer(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`A quota amount must be a non-negative safe integer, not ${value}`);
  return String(value);
}
