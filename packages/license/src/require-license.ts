import type { LicenseClaimsV1 } from "./license-claims-v1";
import { type VerifyLicenseOptions, verifyLicense } from "./verify-license";

const verified = new Map<string, Promise<LicenseClaimsV1>>();

/**
 * `verifyLicense`, once per key, product and public key for the life of the process (a refusal is not
 * remembered, so a corrected key works without a restart). Commercial packages call it before any work.
 */
export async function requireLicense(options: VerifyLicenseOptions): Promise<LicenseClaimsV1> {
  const cacheKey = `${options.product}\u0000${options.licenseKey ?? ""}\u0000${options.publicKey ?? ""}\u0000${options.tiers?.join(",") ?? ""}`;
  const now = options.now ?? new Date();
  const cached = verified.get(cacheKey);
  // A key verified earlier still has to be unexpired now: long-running sync processes outlive licences.
  const claims = cached ? await cached.catch(() => undefined) : undefined;
  if (claims && claims.expiresAt.getTime() > now.getTime()) return claims;
  verified.delete(cacheKey);
  const pending = verifyLicense({ ...options, now });
  verified.set(cacheKey, pending);
  pending.catch(() => verified.delete(cacheKey));
  return pending;
}
