import { jwtVerify } from "jose";
import type { DashboardAccess } from "./dashboard-access";
import { type DashboardSigningKey, dashboardTokenAudience, resolveSigningKey } from "./dashboard-signing-key";
import { validateTokenDimensions } from "./validate-token-dimensions";

/** Options of `verifyDashboardToken`. */
export interface VerifyDashboardTokenOptions {
  /** Keys to try, in order: the current secret first, then the ones being rotated out. */
  keys: readonly DashboardSigningKey[];
  /** Longest lifetime (exp − iat, seconds) accepted, so a leaked long-lived token is useless. Default 86400 (a day). */
  maxLifetimeSeconds?: number;
  /** The clock. Default now. */
  now?: Date;
}

/**
 * The access a dashboard token grants, or null when it is missing, malformed, forged, expired, lives too
 * long, or names no valid tenant. Never throws: a bad token is an answer, not an error.
 */
export async function verifyDashboardToken(token: string, options: VerifyDashboardTokenOptions): Promise<DashboardAccess | null> {
  const maxLifetime = options.maxLifetimeSeconds ?? 86_400;
  for (const candidate of options.keys) {
    let payload: Record<string, unknown>;
    try {
      const { key, algorithm } = resolveSigningKey(candidate);
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [algorithm],
        audience: dashboardTokenAudience,
        requiredClaims: ["exp", "iat"],
        ...(options.now ? { currentDate: options.now } : {}),
      }));
    } catch {
      continue;
    }
    const issuedAt = payload.iat as number;
    const expiresAt = payload.exp as number;
    if (expiresAt - issuedAt > maxLifetime) return null;
    if (payload.scope === "operator") return { kind: "operator", expiresAt: new Date(expiresAt * 1000) };
    if (payload.scope !== "tenant") return null;
    const dimensions = validateTokenDimensions(payload.dimensions);
    return dimensions ? { kind: "tenant", dimensions, expiresAt: new Date(expiresAt * 1000) } : null;
  }
  return null;
}
