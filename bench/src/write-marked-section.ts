import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Options of `writeMarkedSection`. */
export interface WriteMarkedSectionOptions {
  /** The Markdown file to update. */
  file: string;
  /** The section name: the content sits between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`. */
  name: string;
  /** The new content of the section, without the markers. */
  content: string;
  /** What the file starts with when it does not exist yet. */
  header: string;
}

/**
 * Replaces one marked section of a Markdown file and leaves the rest of it as it was, so each benchmark
 * rewrites only its own results. A file without the section gets it appended.
 */
export function writeMarkedSection(options: WriteMarkedSectionOptions): void {
  const open = `<!-- bench:${options.name} -->`;
  const close = `<!-- /bench:${options.name} -->`;
  const section = `${open}\n${options.content.trim()}\n${close}`;
  const current = existsSync(options.file) ? readFileSync(options.file, "utf8") : options.header;
  const start = current.indexOf(open);
  const end = current.indexOf(close, start);
  const next = start !== -1 && end !== -1 ? current.slice(0, start) + section + current.slice(end + close.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(options.file, next);
}
