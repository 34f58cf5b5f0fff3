import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The version of a package installed in bench's own node_modules, e.g. to say which peer a number is for. */
export function installedVersion(name: string): string {
  const file = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
