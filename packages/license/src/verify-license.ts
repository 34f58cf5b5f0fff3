import { errors, importSPKI, jwtVerify } from "jose";
import { LicenseError } from "./errors/license-error";
import type { LicenseClaimsV1, LicenseTier } from "./license-claims-v1";
import { usagepilotLicensePublicKey } from "./usagepilot-license-public-key";

/** Options of `verifyLicense`. */
export interface VerifyLicenseOptions {
  /** The licence key (a signed token). Default: the USAGEPILOT_LICENSE_KEY environment variable. */
  licenseKey?: string | undefined;
  /** The package asking, named in the error. */
  product: string;
  /** Tiers that unlock `product`. Default ["pro", "enterprise"]. */
  tiers?: readonly LicenseTier[];
  /** The verifying public key (SPKI PEM). Default: UsagePilot's, built into this package; tests pass their own. */
  publicKey?: string;
  /** The clock. Default `new Date()`. */
  now?: Date;
}

/** The token issuer every UsagePilot licence carries. */
export const licenseIssuer = "usagepilot";

const keys = new Map<string, Promise<CryptoKey>>();

function environmentKey(): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.USAGEPILOT_LICENSE_KEY;
}

/**
 * Verifies a licence key offline: an EdDSA (Ed25519) signed JWT from issuer "usagepilot" with `sub` (the
 * customer), `tier`, `exp` and `allowance` (events per month, absent = unlimited). Throws `LicenseError`
 * (reason missing / malformed / forged / expired / tier) with a message that says how to get a key.
 *
 * @example
 * const licence = await verifyLicense({ product: "@usagepilot/billing-stripe", licenseKey: process.env.USAGEPILOT_LICENSE_KEY });
 */
export async function verifyLicense(options: VerifyLicenseOptions): Promise<LicenseClaimsV1> {
  const { product } = options;
  const token = (options.licenseKey ?? environmentKey())?.trim();
  if (!token) throw new LicenseError({ reason: "missing", product, detail: "no licence key was given" });
  const pem = options.publicKey ?? usagepilotLicensePublicKey;
  let key = keys.get(pem);
  if (!key) {
    key = importSPKI(pem, "EdDSA");
    keys.set(pem, key);
  }
  let payload: Record<string, unknown>;
  try {
    const now = options.now ?? new Date();
    ({ payload } = await jwtVerify(token, await key, { algorithms: ["EdDSA", "Ed25519"], issuer: licenseIssuer, currentDate: now, requiredClaims: ["exp", "sub"] }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new LicenseError({ reason: "expired", product, detail: "the licence key has expired", cause: error });
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new LicenseError({ reason: "forged", product, detail: "the licence key's signature does not verify", cause: error });
    throw new LicenseError({ reason: "malformed", product, detail: "the licence key is not a UsagePilot licence token", cause: error });
  }
  const tier = payload.tier;
  const allowance = payload.allowance;
  if (tier !== "pro" && tier !== "enterprise") throw new LicenseError({ reason: "malformed", product, detail: "the licence key names no tier" });
  if (allowance !== undefined && allowance !== null && !(typeof allowance === "number" && Number.isSafeInteger(allowance) && allowance >= 0)) {
    throw new LicenseError({ reason: "malformed", product, detail: "the licence key's event allowance is not a whole number" });
  }
  const tiers = options.tiers ?? ["pro", "enterprise"];
  if (!tiers.includes(tier)) throw new LicenseError({ reason: "tier", product, detail: `the ${tier} tier does not include ${product} (needs ${tiers.join(" or ")})` });
  return {
    tier,
    customer: String(payload.sub),
    expiresAt: new Date(Number(payload.exp) * 1000),
    eventAllowance: typeof allowance === "number" ? allowance : null,
  };
}
