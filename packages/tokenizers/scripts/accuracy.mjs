// `pnpm --filter @usagepilot/tokenizers accuracy`: measures the built package against the recorded
// fixtures and rewrites the "Tokenizer accuracy" table in README.md between its markers.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { accuracyRows, accuracyTable, withinBound } from "./accuracy-rows.mjs";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(packageDir, "dist/index.js"))) {
  console.error("dist/ is missing: build first (pnpm turbo run build --filter=@usagepilot/tokenizers...)");
  process.exit(1);
}
const tokenizers = await import("@usagepilot/tokenizers");
const rows = accuracyRows(tokenizers);
const table = accuracyTable(rows);
console.log(table);

const readmePath = join(packageDir, "README.md");
const start = "<!-- accuracy:start -->";
const end = "<!-- accuracy:end -->";
const readme = readFileSync(readmePath, "utf8");
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) {
  console.error(`README.md has no ${start} … ${end} markers`);
  process.exit(1);
}
writeFileSync(readmePath, `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);

const outside = rows.filter((row) => !withinBound(row.error, row.reported, row.bound));
if (outside.length > 0) {
  console.error(`${outside.length} row(s) outside their stated bound`);
  process.exit(1);
}
