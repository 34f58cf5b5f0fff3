import { defineConfig } from "vitest/config";

// One run over every package; each package's tests sit beside its code.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*"],
  },
});
