// @usagepilot/license: offline licence-key verification for UsagePilot's Pro and Enterprise packages.
export { verifyLicense, licenseIssuer, type VerifyLicenseOptions } from "./verify-license";
export { requireLicense } from "./require-license";
export { mintLicense } from "./mint-license";
export type { LicenseClaimsV1, LicenseTier } from "./license-claims-v1";
export { LicenseError, licenseHelp, type LicenseErrorReason } from "./errors/license-error";
export { usagepilotLicensePublicKey } from "./usagepilot-license-public-key";
