// The public API example of docs/DESIGN.md is a contract: this test takes it from the document as it is,
// compiles it under strict TypeScript, and runs it unchanged — on embedded PGlite with no setup, and on
// the machine's PostgreSQL with only DATABASE_URL — against the fake provider.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedTestDatabase } from "../../postgres/test/exclusive-server";

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL("../", import.meta.url));
const repositoryRoot = join(packageRoot, "../..");
const generated = join(packageRoot, "test/.generated");

/** The first TypeScript block under "## The public API" in docs/DESIGN.md. */
function designExample(): string {
  const design = readFileSync(join(repositoryRoot, "docs/DESIGN.md"), "utf8");
  const section = design.slice(design.indexOf("## The public API"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error("docs/DESIGN.md has no ts block under '## The public API'");
  return match[1];
}

// Appended after the example: the provider cannot be reached from a test, so api.openai.com traffic goes
// to the fake server; then two calls through the official SDK with the example's fetch.
const driver = `
// ---- appended by design-example.test.ts ----
import OpenAI from "openai";

const fakeOrigin = process.env.FAKE_LLM_ORIGIN ?? "";
const networkFetch = globalThis.fetch;
globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
  networkFetch(String(input).replace("https://api.openai.com", fakeOrigin), init)) as typeof fetch;

const openai = new OpenAI({ apiKey: "sk-test", fetch: fetchWithUsage });
const headers = { "x-user-id": "design-user", "x-org-id": "design-org", "x-feature": "chat" };
await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, { headers });
for await (const _chunk of await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true }, { headers })) {
  // drain
}
await usage.flush();
const rows = await usage.query({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000), groupBy: ["organization_id", "user_id", "feature"] });
console.log(JSON.stringify(rows));
await usage.shutdown();
`;

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer();
  rmSync(generated, { recursive: true, force: true });
  mkdirSync(generated, { recursive: true });
  writeFileSync(join(generated, "design-example.ts"), designExample() + driver);
  writeFileSync(
    join(generated, "tsconfig.json"),
    JSON.stringify({
      extends: "../../../../tsconfig.base.json",
      compilerOptions: { strict: true, noEmit: false, rootDir: ".", outDir: "out", module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "DOM", "DOM.Iterable"], types: ["node"], declaration: false },
      files: ["design-example.ts"],
    }),
  );
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(generated, { recursive: true, force: true });
});


async function runExample(env: Record<string, string | undefined>, cwd: string) {
  const { stdout } = await run(process.execPath, [join(generated, "out/design-example.js")], { cwd, env: { ...process.env, ...env, FAKE_LLM_ORIGIN: server.url }, timeout: 120_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { group: Record<string, string>; events: number; inputTokens: number; outputTokens: number }[];
}

describe("the DESIGN.md public API example", () => {
  it("compiles under tsc --strict", async () => {
    const compiled = await run(join(repositoryRoot, "node_modules/.bin/tsc"), ["-p", join(generated, "tsconfig.json")]).catch((error: { stdout?: string }) => error);
    expect("stdout" in compiled ? compiled.stdout : "").toBe("");
    expect(existsSync(join(generated, "out/design-example.js"))).toBe(true);
  }, 120_000);

  it("runs on embedded PGlite with no setup: data lands in .usagepilot/ of the working directory", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "usagepilot-design-"));
    try {
      const servedBefore = server.served.length;
      const rows = await runExample({ DATABASE_URL: undefined }, cwd);
      const served = server.served.slice(servedBefore);
      expect(served).toHaveLength(2);
      expect(rows).toEqual([
        expect.objectContaining({
          group: { organization_id: "design-org", user_id: "design-user", feature: "chat" },
          events: 2,
          inputTokens: served.reduce((sum, answer) => sum + (answer.usage as { prompt_tokens: number }).prompt_tokens, 0),
          outputTokens: served.reduce((sum, answer) => sum + (answer.usage as { completion_tokens: number }).completion_tokens, 0),
        }),
      ]);
      expect(existsSync(join(cwd, ".usagepilot/pglite"))).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  it("runs on the machine's PostgreSQL with only DATABASE_URL", async () => {
    expect(process.env.USAGEPILOT_TEST_POSTGRES_URL, "USAGEPILOT_TEST_POSTGRES_URL must point at a PostgreSQL server").toBeTruthy();
    // The guarded helper never creates a database while another suite restarts the server.
    const database = await createGuardedTestDatabase();
    const cwd = mkdtempSync(join(tmpdir(), "usagepilot-design-"));
    try {
      const rows = await runExample({ DATABASE_URL: database.url }, cwd);
      expect(rows).toEqual([expect.objectContaining({ group: { organization_id: "design-org", user_id: "design-user", feature: "chat" }, events: 2 })]);
      expect(existsSync(join(cwd, ".usagepilot"))).toBe(false);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows: stored } = await client.query("SELECT count(*)::int AS events, sum(input_tokens)::int AS input FROM usagepilot.events");
      await client.end();
      expect(stored[0]).toEqual({ events: 2, input: rows[0]!.inputTokens });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
      await database.drop();
    }
  }, 120_000);
});
