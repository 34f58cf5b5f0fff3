import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { PostgresStorage } from "usagepilot/postgres";
import { afterEach, beforeEach } from "vitest";
import { createFaultPilot } from "./create-fault-pilot";
import { type FaultDatabase, useFaultDatabase } from "./fault-database";

/** What `useFaultScenario` gives a test file. */
export interface FaultScenario {
  /** The file's database (see `useFaultDatabase`). */
  readonly database: FaultDatabase;
  /** This test's fake LLM server, fresh for each test and closed after it. */
  readonly server: FakeLlmServer;
  /**
   * `createFaultPilot` on this test's server, writing to the file's database through a new `PostgresStorage`;
   * returned with that server.
   */
  createPilot(pilot?: Parameters<typeof createFaultPilot>[0]["pilot"]): ReturnType<typeof createFaultPilot> & { server: FakeLlmServer };
}

/**
 * The setup the in-process scenarios share (provider failures, client aborts, SDK retries): the file's
 * fault database and a fake LLM server per test. Read the fields inside tests and hooks, not at import time.
 */
export function useFaultScenario(): FaultScenario {
  const database = useFaultDatabase();
  let server: FakeLlmServer | undefined;
  beforeEach(async () => {
    server = await createFakeLlmServer();
  });
  afterEach(async () => {
    await server?.close();
  });
  const current = () => {
    if (!server) throw new Error("the fake LLM server is made in beforeEach; read it inside a test");
    return server;
  };
  return {
    database,
    get server() {
      return current();
    },
    createPilot(pilot) {
      const server = current();
      return { ...createFaultPilot({ server, storage: new PostgresStorage({ connectionString: database.url }), ...(pilot ? { pilot } : {}) }), server };
    },
  };
}
