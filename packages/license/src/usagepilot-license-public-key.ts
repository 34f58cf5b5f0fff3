/**
 * UsagePilot's licence-signing public key (Ed25519, SPKI PEM). The private half is never in this
 * repository: keys are minted offline with `scripts/mint-license.mjs` from a key held by UsagePilot.
 */
export const usagepilotLicensePublicKey = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAYtWXwCHzBHWcGbI+QbpynamxgCVnoRUw+oN9mL7HuRA=
-----END PUBLIC KEY-----`;
