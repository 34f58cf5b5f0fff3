import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    // PGlite and child processes take seconds to start on a loaded 2-core machine.
    hookTimeout: 60_000,
  },
});
