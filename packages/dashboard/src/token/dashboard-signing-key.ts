/**
 * A key that signs or verifies dashboard tokens: a shared secret (string or bytes, at least 32 bytes, HS256)
 * or a `CryptoKey` (an Ed25519, ECDSA P-256 or RSA key pair's private half signs, its public half verifies).
 */
export type DashboardSigningKey = string | Uint8Array | CryptoKey;

/** The audience every dashboard token carries, so a token minted for something else is never accepted. */
export const dashboardTokenAudience = "usagepilot-dashboard";

/** Shortest shared secret accepted: 256 bits, as HS256 needs to be as strong as its hash. */
const minimumSecretBytes = 32;

/** The key as jose takes it, and the JWS algorithm it signs and verifies with. */
export function resolveSigningKey(key: DashboardSigningKey): { key: Uint8Array | CryptoKey; algorithm: string } {
  if (typeof key === "string" || key instanceof Uint8Array) {
    const bytes = typeof key === "string" ? new TextEncoder().encode(key) : key;
    if (bytes.byteLength < minimumSecretBytes) throw new TypeError(`A dashboard token secret must be at least ${minimumSecretBytes} bytes`);
    return { key: bytes, algorithm: "HS256" };
  }
  const algorithm = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } };
  switch (algorithm.name) {
    case "Ed25519":
      return { key, algorithm: "EdDSA" };
    case "ECDSA":
      return { key, algorithm: algorithm.namedCurve === "P-384" ? "ES384" : algorithm.namedCurve === "P-521" ? "ES512" : "ES256" };
    case "RSASSA-PKCS1-v1_5":
      return { key, algorithm: `RS${algorithm.hash?.name.replace("SHA-", "") ?? "256"}` };
    case "HMAC":
      return { key, algorithm: `HS${algorithm.hash?.name.replace("SHA-", "") ?? "256"}` };
    default:
      throw new TypeError(`Unsupported dashboard token key algorithm: ${algorithm.name}`);
  }
}
