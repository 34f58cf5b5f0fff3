import type { DashboardSigningKey } from "./dashboard-signing-key";
import { signDashboardToken } from "./sign-dashboard-token";

/** Options of `createOperatorToken`. */
export interface CreateOperatorTokenOptions {
  /** The signing key, as for `createEmbedToken`. */
  secret: DashboardSigningKey;
  /** Lifetime in seconds, or a jose duration such as "1h". Default "1h". */
  expiresIn?: number | string;
}

/**
 * Mints a token for the operator view: every tenant's usage, for the SaaS's own staff. Keep it on the
 * operator's side; never hand it to a tenant.
 *
 * @example
 * const token = await createOperatorToken({ secret: process.env.DASHBOARD_SECRET!, expiresIn: "1h" });
 */
export async function createOperatorToken(options: CreateOperatorTokenOptions): Promise<string> {
  return signDashboardToken({ scope: "operator" }, options.secret, options.expiresIn ?? "1h");
}
