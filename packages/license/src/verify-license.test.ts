import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { LicenseError } from "./errors/license-error";
import { mintLicense } from "./mint-license";
import { requireLicense } from "./require-license";
import { verifyLicense } from "./verify-license";

let privateKey = "";
let publicKey = "";
let otherPrivateKey = "";
const product = "@usagepilot/billing-stripe";
const inAYear = new Date(Date.now() + 365 * 86_400_000);

beforeAll(async () => {
  const pair = await generateKeyPair("EdDSA", { extractable: true });
  privateKey = await exportPKCS8(pair.privateKey);
  publicKey = await exportSPKI(pair.publicKey);
  otherPrivateKey = await exportPKCS8((await generateKeyPair("EdDSA", { extractable: true })).privateKey);
});

async function refusal(promise: Promise<unknown>): Promise<LicenseError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(LicenseError.isInstance(error)).toBe(true);
  return error as LicenseError;
}

describe("verifyLicense", () => {
  it("accepts a key signed by the given key pair and returns its claims", async () => {
    const licenseKey = await mintLicense({ privateKey, claims: { tier: "pro", customer: "acme", expiresAt: inAYear, eventAllowance: 5_000_000 } });
    const claims = await verifyLicense({ licenseKey, publicKey, product });
    expect(claims).toEqual({ tier: "pro", customer: "acme", expiresAt: new Date(Math.floor(inAYear.getTime() / 1000) * 1000), eventAllowance: 5_000_000 });
  });

  it("reads an absent allowance as unlimited", async () => {
    const licenseKey = await mintLicense({ privateKey, claims: { tier: "enterprise", customer: "globex", expiresAt: inAYear } });
    expect((await verifyLicense({ licenseKey, publicKey, product })).eventAllowance).toBeNull();
  });

  it("refuses without a key, saying how to get one", async () => {
    const error = await refusal(verifyLicense({ licenseKey: "", publicKey, product }));
    expect(error.reason).toBe("missing");
    expect(error.message).toContain(product);
    expect(error.message).toContain("usagepilot.dev/pricing");
    expect(error.message).toContain("USAGEPILOT_LICENSE_KEY");
  });

  it("refuses an expired key", async () => {
    const licenseKey = await mintLicense({ privateKey, claims: { tier: "pro", customer: "acme", expiresAt: new Date(Date.now() - 60_000) } });
    const error = await refusal(verifyLicense({ licenseKey, publicKey, product }));
    expect(error.reason).toBe("expired");
    expect(error.message).toContain("usagepilot.dev/pricing");
  });

  it("refuses a key signed by another private key", async () => {
    const licenseKey = await mintLicense({ privateKey: otherPrivateKey, claims: { tier: "enterprise", customer: "mallory", expiresAt: inAYear } });
    expect((await refusal(verifyLicense({ licenseKey, publicKey, product }))).reason).toBe("forged");
  });

  it("refuses a key whose claims were edited after signing", async () => {
    const licenseKey = await mintLicense({ privateKey, claims: { tier: "pro", customer: "acme", expiresAt: inAYear, eventAllowance: 1000 } });
    const [header, , signature] = licenseKey.split(".");
    const edited = Buffer.from(JSON.stringify({ tier: "enterprise", iss: "usagepilot", sub: "acme", exp: Math.floor(inAYear.getTime() / 1000) })).toString("base64url");
    expect((await refusal(verifyLicense({ licenseKey: `${header}.${edited}.${signature}`, publicKey, product }))).reason).toBe("forged");
  });

  it("refuses garbage and a tier that does not include the product", async () => {
    expect((await refusal(verifyLicense({ licenseKey: "not-a-token", publicKey, product }))).reason).toBe("malformed");
    const licenseKey = await mintLicense({ privateKey, claims: { tier: "pro", customer: "acme", expiresAt: inAYear } });
    expect((await refusal(verifyLicense({ licenseKey, publicKey, product, tiers: ["enterprise"] }))).reason).toBe("tier");
  });

  it("verifies against the built-in public key by default, so a test key pair is refused there", async () => {
    const licenseKey = await mintLicense({ privateKey, claims: { tier: "pro", customer: "acme", expiresAt: inAYear } });
    expect((await refusal(verifyLicense({ licenseKey, product }))).reason).toBe("forged");
  });

  it("reads USAGEPILOT_LICENSE_KEY when no key is passed", async () => {
    const licenseKey = await mintLicense({ privateKey, claims: { tier: "pro", customer: "from-env", expiresAt: inAYear } });
    const saved = process.env.USAGEPILOT_LICENSE_KEY;
    process.env.USAGEPILOT_LICENSE_KEY = licenseKey;
    try {
      expect((await verifyLicense({ publicKey, product })).customer).toBe("from-env");
    } finally {
      if (saved === undefined) delete process.env.USAGEPILOT_LICENSE_KEY;
      else process.env.USAGEPILOT_LICENSE_KEY = saved;
    }
  });
});

describe("requireLicense", () => {
  it("re-checks expiry on every call, even for a key it verified before", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const licenseKey = await mintLicense({ privateKey, claims: { tier: "pro", customer: "acme", expiresAt } });
    expect((await requireLicense({ licenseKey, publicKey, product })).customer).toBe("acme");
    const later = new Date(expiresAt.getTime() + 1000);
    expect((await refusal(requireLicense({ licenseKey, publicKey, product, now: later }))).reason).toBe("expired");
  });
});
