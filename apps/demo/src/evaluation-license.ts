import { mintLicense } from "@usagepilot/license";
import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";

/**
 * A Pro licence for this demo run only, signed with a key pair made on the spot and trusted by the
 * demo's own dashboard alone. Production installs use a key from UsagePilot (USAGEPILOT_LICENSE_KEY).
 */
export async function evaluationLicense(): Promise<{ licenseKey: string; licensePublicKey: string }> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { extractable: true });
  const licenseKey = await mintLicense({
    privateKey: await exportPKCS8(privateKey),
    claims: { tier: "pro", customer: "usagepilot-demo", expiresAt: new Date(Date.now() + 24 * 3_600_000), eventAllowance: null },
  });
  return { licenseKey, licensePublicKey: await exportSPKI(publicKey) };
}
