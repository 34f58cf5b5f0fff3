#!/usr/bin/env node
// Private tool: mints a UsagePilot licence key. Not published (package "files" lists only dist/).
// The private key comes from USAGEPILOT_LICENSE_PRIVATE_KEY (PEM text) or USAGEPILOT_LICENSE_PRIVATE_KEY_FILE
// (a path); it is never kept in the repository.
//
//   node packages/license/scripts/mint-license.mjs --customer acme --tier pro --days 365 [--allowance 1000000]
//   node packages/license/scripts/mint-license.mjs --generate-key-pair   (prints a new PKCS#8 private key and SPKI public key)
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { mintLicense } from "../dist/index.js";

const { values } = parseArgs({
  options: {
    customer: { type: "string" },
    tier: { type: "string", default: "pro" },
    days: { type: "string", default: "365" },
    allowance: { type: "string" },
    "generate-key-pair": { type: "boolean", default: false },
  },
});

if (values["generate-key-pair"]) {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  process.stdout.write(privateKey.export({ type: "pkcs8", format: "pem" }));
  process.stdout.write(publicKey.export({ type: "spki", format: "pem" }));
  process.exit(0);
}

const privateKey = process.env.USAGEPILOT_LICENSE_PRIVATE_KEY ?? (process.env.USAGEPILOT_LICENSE_PRIVATE_KEY_FILE ? readFileSync(process.env.USAGEPILOT_LICENSE_PRIVATE_KEY_FILE, "utf8") : undefined);
if (!privateKey) {
  console.error("Set USAGEPILOT_LICENSE_PRIVATE_KEY or USAGEPILOT_LICENSE_PRIVATE_KEY_FILE to the signing key (PKCS#8 PEM).");
  process.exit(2);
}
if (!values.customer || (values.tier !== "pro" && values.tier !== "enterprise")) {
  console.error("Usage: mint-license.mjs --customer NAME --tier pro|enterprise [--days 365] [--allowance EVENTS]");
  process.exit(2);
}
const expiresAt = new Date(Date.now() + Number(values.days) * 86_400_000);
const token = await mintLicense({
  privateKey,
  claims: { customer: values.customer, tier: values.tier, expiresAt, eventAllowance: values.allowance === undefined ? null : Number(values.allowance) },
});
process.stdout.write(`${token}\n`);
