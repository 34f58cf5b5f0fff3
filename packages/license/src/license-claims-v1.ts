/** The tiers that unlock the commercial packages. */
export type LicenseTier = "pro" | "enterprise";

/** What a verified licence key grants (version 1 of the token's claims). */
export interface LicenseClaimsV1 {
  /** "pro" or "enterprise". */
  tier: LicenseTier;
  /** Who the key was issued to (the token's `sub`). */
  customer: string;
  /** When the key stops being valid. */
  expiresAt: Date;
  /** Usage events per month the licence covers; null = unlimited. */
  eventAllowance: number | null;
}
