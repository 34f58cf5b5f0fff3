import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatUsageTable } from "./format-usage-table";
import { runDemo } from "./run-demo";

describe("the demo", () => {
  it("meters every tenant's calls: stored totals equal what the provider served, every event priced", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "usagepilot-demo-"));
    // Twice on the same data: each run reports only its own calls.
    await runDemo({ dataDir });
    const result = await runDemo({ dataDir });
    rmSync(dataDir, { recursive: true, force: true });
    expect(result.rows.reduce((sum, row) => sum + row.events, 0)).toBe(result.served.calls);
    const sum = (key: "inputTokens" | "outputTokens") => result.rows.reduce((total, row) => total + (row[key] ?? 0), 0);
    expect(sum("inputTokens")).toBe(result.served.inputTokens);
    // Reasoning tokens are served inside completion_tokens, so output equals what was served.
    expect(sum("outputTokens")).toBe(result.served.outputTokens);
    expect(result.rows.map((row) => row.group.organization_id)).toEqual(expect.arrayContaining(["acme-corp", "globex", "solo-dev"]));
    for (const row of result.rows) {
      expect(row.unpricedEvents).toBe(0);
      expect(row.costUsd).toMatch(/^\d+\.\d+$/);
    }
    const table = formatUsageTable(result.rows);
    expect(table).toContain("acme-corp");
    expect(table).not.toContain("not measured");
  });
});
