/**
 * Who a verified dashboard token lets in: one tenant (its dimensions are ANDed into every query, and a
 * request cannot widen them), or the operator (the SaaS itself, across all tenants).
 */
export type DashboardAccess = { kind: "tenant"; dimensions: Readonly<Record<string, string>>; expiresAt: Date } | { kind: "operator"; expiresAt: Date };
