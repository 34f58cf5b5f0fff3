// Lints every published package with publint, on the files `pnpm pack` would publish, as CI does.
// Errors and warnings fail the run; suggestions are printed only.
//
// Usage: node scripts/publint-all.mjs [package folder...]
// Without folders it lints every package under packages/ whose package.json is not "private": true.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Every packages/* folder whose package.json is not private: the packages that reach npm. */
function publishedPackageFolders() {
  const packagesFolder = join(root, "packages");
  return readdirSync(packagesFolder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesFolder, entry.name, "package.json")))
    .map((entry) => join(packagesFolder, entry.name))
    .filter((folder) => JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).private !== true);
}

const folders = process.argv.length > 2 ? process.argv.slice(2).map((folder) => resolve(folder)) : publishedPackageFolders();
if (folders.length === 0) {
  console.error("No published package found to lint.");
  process.exit(1);
}

// Packing is the slow part, so the packages are linted side by side and reported in order.
const results = await Promise.all(
  folders.map(async (folder) => {
    try {
      return { folder, result: await publint({ pkgDir: folder, pack: "pnpm", level: "suggestion" }) };
    } catch (error) {
      return { folder, error };
    }
  }),
);

let failures = 0;
for (const { folder, result, error } of results) {
  const where = relative(root, folder) || folder;
  if (error) {
    failures += 1;
    console.log(`✗ ${where}: publint could not run: ${error instanceof Error ? error.message : String(error)}`);
    continue;
  }
  const counts = { error: 0, warning: 0, suggestion: 0 };
  for (const message of result.messages) counts[message.type] += 1;
  const failed = counts.error + counts.warning > 0;
  if (failed) failures += 1;
  console.log(`${failed ? "✗" : "✓"} ${result.pkg.name} (${where}): ${counts.error} error(s), ${counts.warning} warning(s), ${counts.suggestion} suggestion(s)`);
  for (const message of result.messages) {
    console.log(`  ${message.type}: ${formatMessage(message, result.pkg, { color: false }) ?? message.code}`);
  }
  // publint reads the built files, so an unbuilt package fails on every entry point.
  if (result.messages.some((message) => message.code === "FILE_DOES_NOT_EXIST")) {
    console.log("  (an entry point is missing: build first with `pnpm build`)");
  }
}

console.log(failures === 0 ? `publint: ${results.length} package(s) clean.` : `publint: ${failures} of ${results.length} package(s) failed.`);
process.exit(failures === 0 ? 0 : 1);
