import { generateKeyPairSync } from "node:crypto";
import { mintLicense } from "@usagepilot/license";

/** A key pair of the test's own (no private key is ever committed) and a Pro licence signed with it. */
export async function createTestLicense(): Promise<{ licenseKey: string; licensePublicKey: string }> {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const licenseKey = await mintLicense({
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    claims: { tier: "pro", customer: "dashboard-tests", expiresAt: new Date(Date.now() + 3_600_000) },
  });
  return { licenseKey, licensePublicKey: publicKey.export({ type: "spki", format: "pem" }).toString() };
}
