import { mintLicense } from "../mint-license";
import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";

/** A key pair made for this test run and a Pro key signed with it: the repository holds no private key. */
export async function testLicense(claims: { expiresAt?: Date; tier?: "pro" | "enterprise" } = {}): Promise<{ licenseKey: string; licensePublicKey: string; privateKey: string }> {
  const pair = await generateKeyPair("EdDSA", { extractable: true });
  const privateKey = await exportPKCS8(pair.privateKey);
  const licensePublicKey = await exportSPKI(pair.publicKey);
  const licenseKey = await mintLicense({ privateKey, claims: { tier: claims.tier ?? "pro", customer: "usagepilot-tests", expiresAt: claims.expiresAt ?? new Date(Date.now() + 86_400_000) } });
  return { licenseKey, licensePublicKey, privateKey };
}
