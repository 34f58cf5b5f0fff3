import { defineConfig } from "vitest/config";

// One run over every package; each package's tests sit beside its code.
export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "apps/*",
      // Core again under the edge runtime's globals (Vercel Edge, Cloudflare-like): Web APIs only. Tests that
      // need a Node server or read the built files stay in the Node project.
      {
        test: {
          name: "@usagepilot/core (edge-runtime)",
          root: "packages/core",
          environment: "edge-runtime",
          include: ["src/**/*.test.ts"],
          exclude: ["src/runtime-agnostic.test.ts", "src/alerts/create-alert-dispatcher.test.ts"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
