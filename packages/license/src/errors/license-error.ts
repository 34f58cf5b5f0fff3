import { UsagePilotError } from "@usagepilot/core";

const name = "UsagePilotLicenseError";

/** Why a licence key was refused. */
export type LicenseErrorReason = "missing" | "malformed" | "forged" | "expired" | "tier";

/** Where a Pro or Enterprise licence key comes from; every refusal says so. */
export const licenseHelp = "Get a Pro or Enterprise licence key at https://usagepilot.dev/pricing (or from sales@usagepilot.dev), then pass it as `licenseKey` or set USAGEPILOT_LICENSE_KEY.";

/**
 * A commercial package refused to start: no licence key, or one that is malformed, forged, expired or of a
 * tier that does not include the package. The message always says how to get a valid key.
 */
export class LicenseError extends UsagePilotError {
  /** What was wrong with the key. */
  readonly reason: LicenseErrorReason;
  /** The package that asked for the licence, e.g. "@usagepilot/billing-stripe". */
  readonly product: string;

  constructor(options: { reason: LicenseErrorReason; product: string; detail: string; cause?: unknown }) {
    super({ name, message: `${options.product} needs a valid UsagePilot licence: ${options.detail}. ${licenseHelp}`, cause: options.cause });
    this.reason = options.reason;
    this.product = options.product;
  }

  static override isInstance(error: unknown): error is LicenseError {
    return UsagePilotError.isInstance(error) && error.name === name;
  }
}
