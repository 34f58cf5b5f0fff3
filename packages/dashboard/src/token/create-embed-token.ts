import type { DashboardSigningKey } from "./dashboard-signing-key";
import { signDashboardToken } from "./sign-dashboard-token";
import { validateTokenDimensions } from "./validate-token-dimensions";

/** Options of `createEmbedToken`. */
export interface CreateEmbedTokenOptions {
  /** The tenant the token opens the dashboard for, e.g. { organization_id: "org-1" }. 1–8 string values. */
  dimensions: Readonly<Record<string, string>>;
  /** The signing key: the handler's `secret` (HS256), or a private `CryptoKey` whose public half the handler holds. */
  secret: DashboardSigningKey;
  /** Lifetime in seconds, or a jose duration such as "15m". Default "15m": embed tokens are minted per page view. */
  expiresIn?: number | string;
}

/**
 * Mints a signed, short-lived token that opens the dashboard for one tenant. Mint it on your server for
 * the signed-in customer and hand it to the page (`<iframe src="/usage/#token=...">` or the web component's
 * `token` attribute); never let the browser choose the dimensions.
 *
 * @example
 * const token = await createEmbedToken({ secret: process.env.DASHBOARD_SECRET!, dimensions: { organization_id: "org-1" }, expiresIn: "15m" });
 */
export async function createEmbedToken(options: CreateEmbedTokenOptions): Promise<string> {
  const dimensions = validateTokenDimensions(options.dimensions);
  if (!dimensions) throw new TypeError("An embed token needs 1–8 non-empty string dimensions (not provider, model, operation or status)");
  return signDashboardToken({ scope: "tenant", dimensions }, options.secret, options.expiresIn ?? "15m");
}
