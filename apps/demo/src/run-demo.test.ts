import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatUsageTable } from "./format-usage-table";
import { runDemo } from "./run-demo";

describe("the demo", () => {
  it(
    "meters every tenant: stored totals equal what the fake provider served, the hobbyist is refused, the runaway loop alerts, the dashboard answers",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "usagepilot-demo-"));
      const demo = await runDemo({ dataDir, scale: 0.5 });
      try {
        const stored: Record<string, { calls: number; inputTokens: number; outputTokens: number }> = {};
        for (const row of demo.rows) {
          const total = (stored[row.group.organization_id ?? "-"] ??= { calls: 0, inputTokens: 0, outputTokens: 0 });
          total.calls += row.events;
          total.inputTokens += row.inputTokens ?? 0;
          total.outputTokens += row.outputTokens ?? 0;
        }
        expect(stored).toEqual(demo.served);
        expect(Object.keys(stored).sort()).toEqual(["acme-corp", "globex", "loopy-labs", "solo-dev"]);
        for (const row of demo.rows) {
          expect(row.unpricedEvents).toBe(0);
          expect(row.costUsd).toMatch(/^\d+\.\d+$/);
        }
        // The hobbyist's 10,000-token plan runs out: the rest are refused before they reach the provider.
        expect(demo.traffic.statuses["solo-dev"]?.[429]).toBeGreaterThan(0);
        expect(stored["solo-dev"]!.inputTokens + stored["solo-dev"]!.outputTokens).toBeLessThanOrEqual(10_000);
        expect(demo.traffic.refusals["solo-dev"]).toContain("plan-monthly-tokens");
        // Only the hobbyist is refused.
        for (const organization of ["acme-corp", "globex", "loopy-labs"]) expect(Object.keys(demo.traffic.statuses[organization] ?? {})).toEqual(["200"]);
        // The runaway loop trips the anomaly detector; nobody else does.
        expect(demo.alerts.length).toBeGreaterThan(0);
        expect(new Set(demo.alerts.map((alert) => alert.tenant.organization_id))).toEqual(new Set(["loopy-labs"]));
        // The dashboard answers the operator's token with every tenant.
        const [base, token] = demo.dashboard.operatorURL.split("#token=");
        const response = await fetch(`${base}api/usage?groupBy=organization_id`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { rows: { group: Record<string, string> }[] };
        expect(body.rows.map((row) => row.group.organization_id).sort()).toEqual(["acme-corp", "globex", "loopy-labs", "solo-dev"]);
        expect(formatUsageTable(demo.rows)).toContain("acme-corp");
      } finally {
        await demo.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
