import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["test/**/*.test.ts"],
    // Scenarios run real outages and crashes: each is bounded, but takes seconds.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
