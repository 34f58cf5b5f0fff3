import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    // PGlite and child processes take seconds to start on a loaded 2-core machine.
    hookTimeout: 60_000,
  },
});
