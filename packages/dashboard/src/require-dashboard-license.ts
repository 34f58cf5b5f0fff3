import { requireLicense } from "@usagepilot/license";

/** The product name licence keys and refusals use. */
export const dashboardProduct = "@usagepilot/dashboard";

/**
 * The one place the dashboard checks its Pro licence (an Ed25519-signed key verified offline; the result
 * is cached per key for the life of the process). Rejects with a `LicenseError` that says how to get one.
 */
export async function requireDashboardLicense(options: { licenseKey?: string | undefined; licensePublicKey?: string | undefined }): Promise<void> {
  await requireLicense({
    product: dashboardProduct,
    ...(options.licenseKey === undefined ? {} : { licenseKey: options.licenseKey }),
    ...(options.licensePublicKey === undefined ? {} : { publicKey: options.licensePublicKey }),
  });
}
