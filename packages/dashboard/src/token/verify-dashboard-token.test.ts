import { generateKeyPairSync } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createEmbedToken } from "./create-embed-token";
import { createOperatorToken } from "./create-operator-token";
import { dashboardTokenAudience } from "./dashboard-signing-key";
import { verifyDashboardToken } from "./verify-dashboard-token";

const secret = "a-test-secret-that-is-at-least-32-bytes-long";
const otherSecret = "another-secret-that-is-also-32-bytes-or-more";
const tenant = { organization_id: "org-1" };

describe("dashboard tokens", () => {
  it("grants a tenant token its dimensions, and an operator token everything", async () => {
    const access = await verifyDashboardToken(await createEmbedToken({ secret, dimensions: tenant, expiresIn: "5m" }), { keys: [secret] });
    expect(access).toMatchObject({ kind: "tenant", dimensions: tenant });
    expect(access!.expiresAt.getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(await verifyDashboardToken(await createOperatorToken({ secret }), { keys: [secret] })).toMatchObject({ kind: "operator" });
  });

  it("refuses a token signed with another key, an expired one, and one whose claims were edited", async () => {
    const forged = await createEmbedToken({ secret: otherSecret, dimensions: { organization_id: "org-2" } });
    expect(await verifyDashboardToken(forged, { keys: [secret] })).toBeNull();
    const expired = await createEmbedToken({ secret, dimensions: tenant, expiresIn: -60 });
    expect(await verifyDashboardToken(expired, { keys: [secret] })).toBeNull();
    const [header, , signature] = (await createEmbedToken({ secret, dimensions: tenant })).split(".");
    const widened = Buffer.from(JSON.stringify({ scope: "operator", aud: dashboardTokenAudience, iat: 1, exp: 4_000_000_000 })).toString("base64url");
    expect(await verifyDashboardToken(`${header}.${widened}.${signature}`, { keys: [secret] })).toBeNull();
  });

  it("refuses unsigned tokens, other audiences, over-long lifetimes and empty tenants", async () => {
    const unsigned = new UnsecuredJWT({ scope: "operator" }).setAudience(dashboardTokenAudience).setIssuedAt().setExpirationTime("5m").encode();
    expect(await verifyDashboardToken(unsigned, { keys: [secret] })).toBeNull();
    const key = new TextEncoder().encode(secret);
    const sign = (claims: Record<string, unknown>, audience: string, expiresIn: string) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setAudience(audience).setIssuedAt().setExpirationTime(expiresIn).sign(key);
    expect(await verifyDashboardToken(await sign({ scope: "operator" }, "something-else", "5m"), { keys: [secret] })).toBeNull();
    expect(await verifyDashboardToken(await sign({ scope: "tenant", dimensions: tenant }, dashboardTokenAudience, "30d"), { keys: [secret] })).toBeNull();
    expect(await verifyDashboardToken(await sign({ scope: "tenant", dimensions: tenant }, dashboardTokenAudience, "30d"), { keys: [secret], maxLifetimeSeconds: 40 * 86_400 })).toMatchObject({ kind: "tenant" });
    for (const dimensions of [{}, { organization_id: "" }, { model: "gpt-4o" }, ["org-1"], null, { organization_id: 7 }]) {
      expect(await verifyDashboardToken(await sign({ scope: "tenant", dimensions }, dashboardTokenAudience, "5m"), { keys: [secret] })).toBeNull();
    }
    expect(await verifyDashboardToken("not.a.token", { keys: [secret] })).toBeNull();
    await expect(createEmbedToken({ secret, dimensions: {} })).rejects.toThrow(TypeError);
    await expect(createEmbedToken({ secret: "short", dimensions: tenant })).rejects.toThrow(/32 bytes/);
  });

  it("verifies with old keys while rotating, and with a public key for tokens signed elsewhere", async () => {
    const old = await createEmbedToken({ secret: otherSecret, dimensions: tenant });
    expect(await verifyDashboardToken(old, { keys: [secret, otherSecret] })).toMatchObject({ kind: "tenant" });
    const pair = generateKeyPairSync("ed25519");
    const privateKey = await crypto.subtle.importKey("pkcs8", pair.privateKey.export({ type: "pkcs8", format: "der" }), { name: "Ed25519" }, false, ["sign"]);
    const publicKey = await crypto.subtle.importKey("spki", pair.publicKey.export({ type: "spki", format: "der" }), { name: "Ed25519" }, false, ["verify"]);
    const signed = await createEmbedToken({ secret: privateKey, dimensions: tenant });
    expect(await verifyDashboardToken(signed, { keys: [secret, publicKey] })).toMatchObject({ kind: "tenant", dimensions: tenant });
    // An HS256 token made with the public key's bytes as a secret (algorithm confusion) is refused.
    const confused = await new SignJWT({ scope: "operator" })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience(dashboardTokenAudience)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new Uint8Array(pair.publicKey.export({ type: "spki", format: "der" })));
    expect(await verifyDashboardToken(confused, { keys: [publicKey] })).toBeNull();
  });
});
