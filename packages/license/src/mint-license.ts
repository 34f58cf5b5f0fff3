import { importPKCS8, SignJWT } from "jose";
import type { LicenseClaimsV1 } from "./license-claims-v1";
import { licenseIssuer } from "./verify-license";

/**
 * Signs a licence key with an Ed25519 private key (PKCS#8 PEM). Used by UsagePilot's private minting tool
 * and by tests with a key pair of their own; the private key itself is never shipped.
 */
export async function mintLicense(options: { privateKey: string; claims: Omit<LicenseClaimsV1, "eventAllowance"> & { eventAllowance?: number | null } }): Promise<string> {
  const key = await importPKCS8(options.privateKey, "EdDSA");
  const { tier, customer, expiresAt, eventAllowance } = options.claims;
  return new SignJWT({ tier, ...(eventAllowance === null || eventAllowance === undefined ? {} : { allowance: eventAllowance }) })
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
    .setIssuer(licenseIssuer)
    .setSubject(customer)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
}
