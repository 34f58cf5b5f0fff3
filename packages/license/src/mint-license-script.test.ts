import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { verifyLicense } from "./verify-license";

const script = fileURLToPath(new URL("../scripts/mint-license.mjs", import.meta.url));
const run = promisify(execFile);

describe("scripts/mint-license.mjs (the private minting tool, run from the built package)", () => {
  it("mints a key from a private key in the environment that verifies with the matching public key", async () => {
    const pair = await generateKeyPair("EdDSA", { extractable: true });
    const { stdout } = await run("node", [script, "--customer", "initech", "--tier", "enterprise", "--days", "10", "--allowance", "250000"], {
      env: { ...process.env, USAGEPILOT_LICENSE_PRIVATE_KEY: await exportPKCS8(pair.privateKey) },
    });
    const claims = await verifyLicense({ licenseKey: stdout.trim(), publicKey: await exportSPKI(pair.publicKey), product: "@usagepilot/billing-stripe" });
    expect(claims).toMatchObject({ tier: "enterprise", customer: "initech", eventAllowance: 250_000 });
    expect(claims.expiresAt.getTime()).toBeGreaterThan(Date.now() + 9 * 86_400_000);
  });

  it("refuses to mint without a private key", async () => {
    const environment = { ...process.env };
    delete environment.USAGEPILOT_LICENSE_PRIVATE_KEY;
    delete environment.USAGEPILOT_LICENSE_PRIVATE_KEY_FILE;
    const failure = await run("node", [script, "--customer", "initech"], { env: environment }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain("USAGEPILOT_LICENSE_PRIVATE_KEY");
  });
});
