import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    // PGlite and child processes take seconds to start on a loaded 2-core machine.
    hookTimeout: 60_000,
    // The real-PostgreSQL suites always run: against the machine's server unless told otherwise (never skipped).
    env: { USAGEPILOT_TEST_POSTGRES_URL: process.env.USAGEPILOT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
