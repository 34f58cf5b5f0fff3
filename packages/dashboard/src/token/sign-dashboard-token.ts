import { SignJWT } from "jose";
import { type DashboardSigningKey, dashboardTokenAudience, resolveSigningKey } from "./dashboard-signing-key";

/**
 * Signs dashboard token claims: the dashboard audience, issued now, a random id, and an expiry `expiresIn`
 * from now (seconds, or a jose duration such as "15m").
 */
export async function signDashboardToken(claims: Record<string, unknown>, secret: DashboardSigningKey, expiresIn: number | string): Promise<string> {
  const { key, algorithm } = resolveSigningKey(secret);
  return (
    new SignJWT(claims)
      .setProtectedHeader({ alg: algorithm, typ: "JWT" })
      .setAudience(dashboardTokenAudience)
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      // jose reads a number as an absolute time; a lifetime in seconds is turned into one.
      .setExpirationTime(typeof expiresIn === "number" ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn)
      .sign(key)
  );
}
