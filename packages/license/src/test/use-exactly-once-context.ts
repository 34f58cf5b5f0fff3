import { createScratchDatabase } from "./create-scratch-database";
import { testLicense } from "./test-license";
import type { TestHooks } from "./test-hooks";
import type { Closable } from "./use-billing-test-context";

/** Options of `useExactlyOnceContext`. */
export interface ExactlyOnceContextOptions<Fake extends Closable> {
  /** vitest's `beforeAll` and `afterAll`. */
  hooks: Pick<TestHooks, "beforeAll" | "afterAll">;
  /**
   * The test server's own database, which makes and drops the scratch database: a `PostgresStorage` on
   * `testServerUrl` with `migrate: false`. Closed after the file.
   */
  server: { sqlClient(): Promise<{ query(statement: string): Promise<unknown> }>; close(): Promise<void> };
  /** Starts the fake billing API; closed after the file. */
  startFake: () => Promise<Fake>;
}

/**
 * What a billing exactly-once test file runs on: a scratch database on the real PostgreSQL, a test licence
 * and the fake billing API, made once before the file's tests (60 s allowed) and closed after them. Read the
 * fields inside tests and hooks, not at import time.
 */
export function useExactlyOnceContext<Fake extends Closable>(options: ExactlyOnceContextOptions<Fake>): {
  readonly database: Awaited<ReturnType<typeof createScratchDatabase>>;
  readonly license: Awaited<ReturnType<typeof testLicense>>;
  readonly fake: Fake;
} {
  let database: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  let license: Awaited<ReturnType<typeof testLicense>> | undefined;
  let fake: Fake | undefined;
  options.hooks.beforeAll(async () => {
    database = await createScratchDatabase({ admin: async (statement) => (await options.server.sqlClient()).query(statement) });
    license = await testLicense();
    fake = await options.startFake();
  }, 60_000);
  options.hooks.afterAll(async () => {
    await fake?.close();
    await database?.drop();
    await options.server.close();
  });
  const made = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the exactly-once context is made in beforeAll; read it inside a test");
    return value;
  };
  return {
    get database() {
      return made(database);
    },
    get license() {
      return made(license);
    },
    get fake() {
      return made(fake);
    },
  };
}
