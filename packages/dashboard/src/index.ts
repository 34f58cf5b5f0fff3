// The public API of @usagepilot/dashboard (commercial; needs a Pro licence key).
export { createDashboardHandler, type DashboardHandler, type DashboardHandlerOptions } from "./create-dashboard-handler";
export { createEmbedToken, type CreateEmbedTokenOptions } from "./token/create-embed-token";
export { createOperatorToken, type CreateOperatorTokenOptions } from "./token/create-operator-token";
export { verifyDashboardToken, type VerifyDashboardTokenOptions } from "./token/verify-dashboard-token";
export type { DashboardAccess } from "./token/dashboard-access";
export { dashboardTokenAudience, type DashboardSigningKey } from "./token/dashboard-signing-key";
export type { DashboardStorage, TenantScopedStorage } from "./query/tenant-scoped-storage";
export { parseUsageRequest, type ParsedUsageRequest, type UsageRequestLimits } from "./query/parse-usage-request";
export { scopeUsageQuery } from "./query/scope-usage-query";
export { usageRowsToCsv } from "./export/usage-rows-to-csv";
export type { DashboardQuotaStatus } from "./dashboard-quota-status";
export type { DashboardAnomaly } from "./dashboard-anomaly";
export { dashboardElementScript } from "./view/dashboard-element-script";
export { renderDashboardPage } from "./view/render-dashboard-page";
export { createNodeListener, type NodeRequestLike, type NodeResponseLike } from "./node/create-node-listener";
export { dashboardProduct } from "./require-dashboard-license";
