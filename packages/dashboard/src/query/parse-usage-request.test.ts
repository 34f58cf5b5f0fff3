import { describe, expect, it } from "vitest";
import { parseUsageRequest } from "./parse-usage-request";
import { scopeUsageQuery } from "./scope-usage-query";

const now = new Date("2026-06-10T12:34:56Z");
const parse = (search: string) => parseUsageRequest(new URLSearchParams(search), {}, now);

describe("parseUsageRequest", () => {
  it("defaults to the 30 days before the next whole hour, per day, ungrouped", () => {
    expect(parse("")).toEqual({ ok: true, query: { from: new Date("2026-05-11T13:00:00Z"), to: new Date("2026-06-10T13:00:00Z"), granularity: "day", groupBy: [] } });
  });

  it("reads the range, granularity, grouping and repeated filters", () => {
    expect(parse("from=2026-06-01&to=2026-06-02T06:00:00Z&granularity=hour&groupBy=model,%20user_id&where.feature=chat&where.feature=analysis")).toEqual({
      ok: true,
      query: { from: new Date("2026-06-01T00:00:00Z"), to: new Date("2026-06-02T06:00:00Z"), granularity: "hour", groupBy: ["model", "user_id"], where: { feature: ["chat", "analysis"] } },
    });
  });

  it("refuses what it cannot answer safely", () => {
    for (const search of ["from=yesterday", "from=2026-06-02&to=2026-06-01", "from=2024-01-01&to=2026-01-01", "granularity=minute", "from=2026-01-01&to=2026-06-01&granularity=hour", "groupBy=a,b,c,d,e", "groupBy=model,model", "groupBy=dimensions->>x", "where.a%20b=1"]) {
      expect(parse(search).ok, search).toBe(false);
    }
  });

  it("scopes a query to a tenant: the token's values replace the request's for the same keys", () => {
    const query = { from: now, to: now, where: { organization_id: ["org-1", "org-2"], feature: "chat" } };
    expect(scopeUsageQuery(query, { organization_id: "org-1" }).where).toEqual({ organization_id: "org-1", feature: "chat" });
  });
});
