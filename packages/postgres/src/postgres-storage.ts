import type { PGlite } from "@electric-sql/pglite";
import { StorageError, type UsageEvent, type UsageQuery, type UsageQueryRow, type UsageStorage, validateUsageEvent } from "@usagepilot/core";
import type { Pool } from "pg";
import { createSqlClient, type PostgresSqlClient } from "./create-sql-client";
import type { PostgresDriver } from "./driver/postgres-driver";
import { migrationsFolder } from "./migration-settings";
import { importDriver } from "./driver/import-driver";
import { createPartitionKeeper, dropPartitionsBefore } from "./monthly-partitions";
import { queryUsage } from "./query-usage";
import { defaultTenantRole, queryUsageForTenant } from "./query-usage-for-tenant";
import { toStorageError } from "./to-storage-error";
import { writeEvents } from "./write-events";

/** Options of `PostgresStorage`. With none, it embeds PGlite in `.usagepilot/` (or uses `DATABASE_URL` when set). */
export interface PostgresStorageOptions {
  /** A PostgreSQL URL for node-postgres. Default: the `DATABASE_URL` environment variable, if set. */
  connectionString?: string;
  /** An existing node-postgres pool (not closed by `close()`). */
  pool?: Pool;
  /** An existing PGlite instance (not closed by `close()`). */
  pglite?: PGlite;
  /** Where embedded PGlite keeps its data; "memory://" keeps it in memory. Default ".usagepilot/pglite". */
  dataDir?: string;
  /** Apply the shipped migrations on first use. Default true; set false to run `migrate()` yourself. */
  migrate?: boolean;
  /**
   * Preferred events per write, used by `UsagePilot` when it is not given its own. Default 1000: the
   * ingest benchmark (BENCHMARKS.md) writes 40–60% more events per second than at 100.
   */
  batchSize?: number;
  /** Preferred longest wait before a write (ms), used by `UsagePilot` when it is not given its own. */
  flushInterval?: number;
  /** Connections in the pool it creates from a URL. Default 4. */
  maxConnections?: number;
  /**
   * The non-owner role `forTenant` reads run as, under the row-level security policies. Default
   * "usagepilot_tenant" (made by the migrations when the owner may create roles).
   */
  tenantRole?: string;
}

/** What `PostgresStorage.forTenant` returns: `query`, for one tenant's rows only. */
export interface TenantUsageReader {
  /** The tenant's dimensions every answer is limited to. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Sums usage and cost like `UsageStorage.query`, over this tenant's rows only. */
  query(query: UsageQuery): Promise<UsageQueryRow[]>;
}

/**
 * Usage storage on PostgreSQL through drizzle-orm: PGlite embedded by default, node-postgres on a server.
 * Writes are idempotent on the event id, partitioned by month, and keep hourly rollups in the same
 * statement; `query` reads the rollups where it can.
 *
 * @example
 * const usage = new UsagePilot({ storage: new PostgresStorage({ batchSize: 50, flushInterval: 60_000 }) });
 * const production = new PostgresStorage({ connectionString: process.env.DATABASE_URL });
 */
export class PostgresStorage implements UsageStorage {
  readonly batchSize: number | undefined;
  readonly flushInterval: number | undefined;
  private readonly options: PostgresStorageOptions;
  private driverPromise: Promise<PostgresDriver> | undefined;
  private partitions: ReturnType<typeof createPartitionKeeper> | undefined;

  constructor(options: PostgresStorageOptions = {}) {
    this.options = options;
    this.batchSize = options.batchSize ?? 1000;
    this.flushInterval = options.flushInterval;
  }

  /** Which driver this storage uses, decided from the options and the environment. */
  get driverKind(): "node-postgres" | "pglite" {
    return this.options.pool || this.connectionString() ? "node-postgres" : "pglite";
  }

  /** Applies the shipped migrations (safe to call from several instances at once). */
  async migrate(): Promise<void> {
    const driver = await this.connect({ migrate: false });
    try {
      await driver.migrate(migrationsFolder());
    } catch (error) {
      throw toStorageError(error, { eventCount: 0, action: "apply its migrations" });
    }
  }

  /** Stores events idempotently; see `writeEvents`. Events that break the contract are refused whole. */
  async write(events: readonly UsageEvent[]): Promise<void> {
    const invalid = events.flatMap((event) => {
      const violations = validateUsageEvent(event);
      return violations.length > 0 ? [`${event.id}: ${violations.join("; ")}`] : [];
    });
    if (invalid.length > 0) {
      throw new StorageError({ message: `PostgresStorage refused ${invalid.length} event(s) that break the contract: ${invalid.join(" | ")}`, eventCount: events.length, attempt: 1, isRetryable: false });
    }
    try {
      const driver = await this.connect();
      this.partitions ??= createPartitionKeeper(driver);
      await this.partitions.ensure(events.map((event) => new Date(event.timestamp)));
      await writeEvents(driver, events);
    } catch (error) {
      throw toStorageError(error, { eventCount: events.length, action: `write ${events.length} event(s)` });
    }
  }

  /** Sums usage and cost; from the hourly rollups when the range falls on whole hours. */
  async query(query: UsageQuery): Promise<UsageQueryRow[]> {
    try {
      return await queryUsage(await this.connect(), query);
    } catch (error) {
      throw toStorageError(error, { eventCount: 0, action: "answer a query" });
    }
  }

  /**
   * Reads for one tenant (e.g. an embedded dashboard): its dimensions are ANDed into every query's `where`
   * and the query runs as the `tenantRole` under row-level security, so neither a wider `where` nor a bug
   * can return another tenant's rows. Throws a TypeError when `dimensions` is empty.
   */
  forTenant(dimensions: Readonly<Record<string, string>>): TenantUsageReader {
    if (Object.keys(dimensions).length === 0) throw new TypeError("forTenant needs at least one dimension");
    const tenant = Object.freeze({ ...dimensions });
    return {
      dimensions: tenant,
      query: async (query) => {
        try {
          return await queryUsageForTenant(await this.connect(), query, tenant, this.options.tenantRole ?? defaultTenantRole);
        } catch (error) {
          throw toStorageError(error, { eventCount: 0, action: "answer a tenant-scoped query" });
        }
      },
    };
  }

  /** Retention: drops the monthly partitions that end on or before `before`. Returns their names. */
  async dropPartitionsBefore(before: Date): Promise<string[]> {
    const dropped = await dropPartitionsBefore(await this.connect(), before);
    this.partitions?.forget();
    return dropped;
  }

  /**
   * Plain SQL on this storage's database (migrated first), for add-ons that keep their own tables beside the
   * events and need them in the same transactions, such as the billing sync. Closed with the storage.
   */
  async sqlClient(): Promise<PostgresSqlClient> {
    return createSqlClient(await this.connect());
  }

  /** Closes what this storage opened (not a pool or PGlite instance it was given). */
  async close(): Promise<void> {
    const pending = this.driverPromise;
    this.driverPromise = undefined;
    if (pending) await (await pending.catch(() => undefined))?.close();
  }

  private connectionString(): string | undefined {
    if (this.options.pglite || this.options.dataDir) return undefined;
    return this.options.connectionString ?? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.DATABASE_URL;
  }

  private connect(options: { migrate?: boolean } = {}): Promise<PostgresDriver> {
    this.driverPromise ??= this.open(options.migrate ?? this.options.migrate ?? true);
    // A failed connection is forgotten so the next write tries again (the writer retries with backoff).
    this.driverPromise.catch(() => {
      this.driverPromise = undefined;
    });
    return this.driverPromise;
  }

  private async open(migrate: boolean): Promise<PostgresDriver> {
    const connectionString = this.connectionString();
    // Each driver module loads drizzle's adapter, which imports its database client at once: loaded only
    // when chosen, so an app on PGlite alone need not install pg (and the reverse).
    const driver =
      this.options.pool || connectionString
        ? await (await importDriver("pg", () => import("./driver/create-node-postgres-driver"), "to connect to a PostgreSQL server")).createNodePostgresDriver({ ...(this.options.pool ? { pool: this.options.pool } : {}), ...(connectionString ? { connectionString } : {}), ...(this.options.maxConnections ? { max: this.options.maxConnections } : {}) })
        : await (await importDriver("@electric-sql/pglite", () => import("./driver/create-pglite-driver"), "for the embedded database (or give it a connectionString)")).createPgliteDriver({ ...(this.options.pglite ? { client: this.options.pglite } : {}), dataDir: this.options.dataDir ?? ".usagepilot/pglite" });
    if (migrate) {
      try {
        await driver.migrate(migrationsFolder());
      } catch (error) {
        await driver.close().catch(() => {});
        throw error;
      }
    }
    return driver;
  }
}
