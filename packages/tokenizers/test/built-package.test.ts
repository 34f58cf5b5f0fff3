import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cookbookMessages } from "../scripts/accuracy-rows.mjs";

const packageDir = join(import.meta.dirname, "..");
const run = promisify(execFile);

// A plain Node process, outside vitest's module graph, importing the package by its name: the exports
// map, the built dist/ and tiktoken's WASM loading are what a user gets after `npm install`. The messages
// are OpenAI's cookbook example, for which the API reported 124 (gpt-4o) and 129 (gpt-4) prompt tokens.
const script = `
import { createTokenizer, countTokens, tokenizerFallbacks } from "@usagepilot/tokenizers";
const messages = ${JSON.stringify(cookbookMessages)};
const tokenizer = createTokenizer();
console.log(JSON.stringify({
  resolved: import.meta.resolve("@usagepilot/tokenizers"),
  gpt4o: tokenizer.count({ provider: "openai", model: "gpt-4o", input: { messages } }),
  gpt4: tokenizer.count({ provider: "openai", model: "gpt-4", input: { messages } }),
  claude: tokenizer.count({ provider: "anthropic", model: "claude-sonnet-4-5", input: "2026" }),
  viaCountTokens: await countTokens({ model: "gpt-4o-mini", input: { messages } }),
  factor: tokenizerFallbacks.anthropic.factor,
}));
`;

describe("the built package", () => {
  it("loads from dist/ in plain Node, tiktoken's WASM included, and counts as the API reported", async () => {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result.resolved).toBe(`file://${join(packageDir, "dist/index.js")}`);
    expect(result.gpt4o).toEqual({ tokens: 124, accuracy: "counted" });
    expect(result.gpt4).toEqual({ tokens: 129, accuracy: "counted" });
    expect(result.viaCountTokens).toEqual({ tokens: 124, accuracy: "counted" });
    expect(result.claude).toMatchObject({ accuracy: "estimated" });
    expect(result.factor).toBe(1.15);
  });

  it("leaves tiktoken external, so its WASM is read from tiktoken's own package", () => {
    const bundle = readFileSync(join(packageDir, "dist/index.js"), "utf8");
    expect(bundle).toMatch(/from "tiktoken"/);
    expect(bundle).not.toContain("tiktoken_bg");
  });
});
