import { type ChildProcess, execFile, spawn } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { fileURLToPath } from "node:url";

/** The built executable, as `npx usagepilot` runs it. */
export const binPath = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

/** Runs `usagepilot <args>` to the end in a child process. */
export function runBin(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [binPath, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Starts `usagepilot <args>` and leaves it running (for `dashboard`). */
export function startBin(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): ChildProcess {
  return spawn(process.execPath, [binPath, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * A Pro licence key signed by a key pair of the test's own (EdDSA JWT, as @usagepilot/license verifies),
 * and that pair's public key; made with node:crypto since the licence package is not the CLI's dependency.
 */
export function createTestLicense(): { licenseKey: string; licensePublicKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: "EdDSA", typ: "JWT" })}.${encode({ tier: "pro", sub: "cli-tests", iss: "usagepilot", iat: now, exp: now + 3600 })}`;
  return { licenseKey: `${unsigned}.${sign(null, Buffer.from(unsigned), privateKey).toString("base64url")}`, licensePublicKey: publicKey.export({ type: "spki", format: "pem" }).toString() };
}
