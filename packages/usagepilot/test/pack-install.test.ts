// Users install only the scoped packages they need. For each published package this packs it as npm would
// receive it (`pnpm pack`), installs that tarball alone into an empty project, checks that no other
// workspace package came along, imports it by name and meters one call; and runs publint on it.
//
// Expects built packages (dist/), as the test runner builds first. Needs the npm registry for the
// packages' own third-party dependencies (zod, eventsource-parser, @standard-schema/spec).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const timeout = 180_000;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface WorkspacePackage {
  name: string;
  path: string;
  manifest: Manifest;
}

/** How one published package is imported and claims the call in the installed project. */
interface PackCase {
  name: string;
  /** The import lines of the smoke script: must bind UsagePilot, MemoryStorage and anything `adapter` uses. */
  imports: string;
  /** An expression for the provider adapter; `baseURL` (".../v1" of the local server) is in scope. */
  adapter: string;
  /** Extra UsagePilot options, as source ending with a comma (e.g. `prices: createPriceBook(),`). */
  options?: string;
  /** The call: the path after `baseURL`, the provider's answer and the request body. Default: an OpenAI chat completion. */
  call?: { path: string; answer: unknown; body: unknown };
  /** What the one event must match. Default: the OpenAI chat completion's event. */
  expected?: Record<string, unknown>;
  /** Source run after the call whose value (JSON) the test reads as `extra`, e.g. a tokenizer's count. */
  extra?: string;
  /** What `extra` must equal. */
  expectedExtra?: unknown;
}

const openAIAnswer = {
  id: "chatcmpl-pack",
  object: "chat.completion",
  model: "gpt-4o-mini-2024-07-18",
  choices: [{ index: 0, message: { role: "assistant", content: "pong" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, prompt_tokens_details: { cached_tokens: 3 }, completion_tokens_details: { reasoning_tokens: 2 } },
};
const openAICall = { path: "/chat/completions", answer: openAIAnswer, body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "ping" }] } };
const openAIEvent = {
  provider: "openai",
  operation: "chat",
  model: "gpt-4o-mini-2024-07-18",
  dimensions: { user_id: "user-1" },
  status: "ok",
  accuracy: "reported",
  streamed: false,
  providerRequestId: "req_pack",
  usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3, cacheWriteInputTokens: 0, reasoningTokens: 2 },
};

// A minimal ProviderAdapterV1 written against core alone, as an author of a new provider package would.
const inlineAdapter = `{
  specificationVersion: "v1",
  name: "inline",
  match({ url }) {
    if (!url.href.startsWith(baseURL)) return undefined;
    return {
      provider: "openai",
      operation: "chat",
      isStreamRequest: () => false,
      requestedModel: (body) => body?.model ?? null,
      providerRequestId: (headers) => headers.get("x-request-id"),
      observe: () =>
        createJsonObserver((body) => ({
          usage: {
            inputTokens: body.usage.prompt_tokens,
            outputTokens: body.usage.completion_tokens,
            cachedInputTokens: body.usage.prompt_tokens_details.cached_tokens,
            cacheWriteInputTokens: 0,
            reasoningTokens: body.usage.completion_tokens_details.reasoning_tokens,
          },
          model: body.model,
          status: "ok",
          accuracy: "reported",
        })),
    };
  },
}`;

const openAIAdapter = `createOpenAIAdapter({ baseURLs: [{ baseURL, provider: "openai" }] })`;

const cases: PackCase[] = [
  {
    name: "@usagepilot/core",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";`,
    adapter: inlineAdapter,
  },
  {
    name: "@usagepilot/providers-openai",
    // Core comes with the adapter as its dependency; a user of the adapter builds UsagePilot from it.
    imports: `import { MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createOpenAIAdapter } from "@usagepilot/providers-openai";`,
    adapter: openAIAdapter,
  },
  {
    name: "usagepilot",
    imports: `import { createOpenAIAdapter, MemoryStorage, UsagePilot } from "usagepilot";\nimport { PostgresStorage } from "usagepilot/postgres";`,
    adapter: openAIAdapter,
    // The embedded database works with what the umbrella brings (PGlite), without pg installed.
    extra: `await (async () => { const embedded = new PostgresStorage({ dataDir: "memory://" }); await embedded.write(storage.events); const [row] = await embedded.query({ from: new Date(0), to: new Date(Date.now() + 3600000) }); await embedded.close(); return row.events; })()`,
    expectedExtra: 1,
    // The umbrella prices by default: gpt-4o-mini at 0.15 / 0.075 cached / 0.60 per million: 8 × 0.15 + 3 × 0.075 + 7 × 0.6 = 5.625.
    expected: { ...openAIEvent, cost: { amount: "0.000005625", currency: "USD", priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini" } },
  },
  {
    name: "@usagepilot/providers-anthropic",
    imports: `import { MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createAnthropicAdapter } from "@usagepilot/providers-anthropic";`,
    adapter: `createAnthropicAdapter({ baseURLs: [{ baseURL }] })`,
    call: {
      path: "/v1/messages",
      answer: { id: "msg_pack", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929", content: [{ type: "text", text: "pong" }], stop_reason: "end_turn", usage: { input_tokens: 3, cache_read_input_tokens: 8, output_tokens: 7 } },
      body: { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "ping" }] },
    },
    expected: { provider: "anthropic", operation: "messages", model: "claude-sonnet-4-5-20250929", status: "ok", usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 8, cacheWriteInputTokens: 0, reasoningTokens: 0 } },
  },
  {
    name: "@usagepilot/providers-google",
    imports: `import { MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createGoogleAdapter } from "@usagepilot/providers-google";`,
    adapter: `createGoogleAdapter({ baseURLs: [{ baseURL }] })`,
    call: {
      path: "/models/gemini-2.5-flash:generateContent",
      answer: { candidates: [{ content: { role: "model", parts: [{ text: "pong" }] }, finishReason: "STOP" }], modelVersion: "gemini-2.5-flash", usageMetadata: { promptTokenCount: 11, candidatesTokenCount: 5, thoughtsTokenCount: 2, totalTokenCount: 18 } },
      body: { contents: [{ role: "user", parts: [{ text: "ping" }] }] },
    },
    expected: { provider: "google", operation: "chat", model: "gemini-2.5-flash", status: "ok", usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 2 } },
  },
  {
    name: "@usagepilot/prices",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createPriceBook } from "@usagepilot/prices";`,
    adapter: inlineAdapter,
    options: "prices: createPriceBook(),",
    expected: { ...openAIEvent, cost: { amount: "0.000005625", currency: "USD", priceSource: "genai-prices@0.1.8:openai/gpt-4o-mini" } },
  },
  {
    name: "@usagepilot/tokenizers",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createTokenizer } from "@usagepilot/tokenizers";`,
    adapter: inlineAdapter,
    options: "tokenizers: createTokenizer(),",
    // tiktoken's WASM loads from the installed package: "hello world" is 2 tokens in o200k_base.
    extra: `createTokenizer().count({ provider: "openai", model: "gpt-4o", input: "hello world" })`,
    expectedExtra: { tokens: 2, accuracy: "counted" },
  },
  {
    name: "@usagepilot/node",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createFileSpool } from "@usagepilot/node";\nimport { mkdtempSync } from "node:fs";\nimport { tmpdir } from "node:os";\nimport { join } from "node:path";`,
    adapter: inlineAdapter,
    // The spool writes captured events ahead of storage; a second spool on the folder recovers them.
    extra: `await (async () => { const directory = mkdtempSync(join(tmpdir(), "spool-")); const spool = createFileSpool({ directory }); for (const event of storage.events) spool.append(event); await spool.close(); return (await createFileSpool({ directory }).recover()).length; })()`,
    expectedExtra: 1,
  },
  {
    name: "@usagepilot/redis",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { RedisQuotaStore } from "@usagepilot/redis";\nimport { Redis } from "ioredis";\nconst redis = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true });\nconst prefix = "pack-install:" + process.pid + ":" + Date.now();`,
    adapter: inlineAdapter,
    // The call is counted in the machine's Redis: the budget's status reads it back.
    options: `limits: { rules: [{ name: "org-month", key: ["user_id"], window: "month", max: { tokens: 1000 }, action: "block" }], store: new RedisQuotaStore({ redis, prefix }) },`,
    extra: `await (async () => { const used = (await usage.limits.status({ user_id: "user-1" }))[0].metrics[0].used; const keys = await redis.keys(prefix + "*"); if (keys.length > 0) await redis.del(...keys); redis.disconnect(); return used; })()`,
    expectedExtra: 18,
  },
  {
    name: "@usagepilot/license",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { verifyLicense } from "@usagepilot/license";`,
    adapter: inlineAdapter,
    extra: `await verifyLicense({ product: "@usagepilot/billing-stripe", licenseKey: "not-a-key" }).then(() => "accepted", (error) => error.reason)`,
    expectedExtra: "malformed",
  },
  {
    name: "@usagepilot/billing-stripe",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createStripeBilling } from "@usagepilot/billing-stripe";`,
    adapter: inlineAdapter,
    // Without a licence key it refuses, saying how to get one.
    extra: `await createStripeBilling({ stripe: {}, storage, meters: [], resolveCustomer: () => null }).then(() => "created", (error) => error.name)`,
    expectedExtra: "UsagePilotLicenseError",
  },
  {
    name: "@usagepilot/billing-chargebee",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createChargebeeBilling } from "@usagepilot/billing-chargebee";`,
    adapter: inlineAdapter,
    extra: `await createChargebeeBilling({ chargebee: {}, storage, meters: [], resolveSubscription: () => null }).then(() => "created", (error) => error.name)`,
    expectedExtra: "UsagePilotLicenseError",
  },
  {
    name: "@usagepilot/dashboard",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { createDashboardHandler, createEmbedToken } from "@usagepilot/dashboard";`,
    adapter: inlineAdapter,
    // Without a licence every answer is a 403 that says how to get one.
    extra: `await (async () => { const secret = "s".repeat(32); const handler = createDashboardHandler({ storage, secret, onError: () => {} }); const token = await createEmbedToken({ secret, dimensions: { user_id: "user-1" } }); return (await handler(new Request("http://localhost/api/usage", { headers: { authorization: "Bearer " + token } }))).status; })()`,
    expectedExtra: 403,
  },
  {
    name: "@usagepilot/cli",
    imports: `import { createJsonObserver, MemoryStorage, UsagePilot } from "@usagepilot/core";\nimport { cliCommands } from "@usagepilot/cli";`,
    adapter: inlineAdapter,
    extra: `cliCommands.map((command) => command.name).sort()`,
    expectedExtra: ["dashboard", "migrate", "report", "sync"],
  },
];

/** The script run in the installed project: a local provider, one metered call, the stored events as JSON. */
function smokeScript(packCase: PackCase): string {
  const call = packCase.call ?? openAICall;
  return `import { createServer } from "node:http";
${packCase.imports}

const answer = ${JSON.stringify(call.answer)};
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "x-request-id": "req_pack", "request-id": "req_pack" });
    response.end(JSON.stringify(answer));
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseURL = "http://127.0.0.1:" + server.address().port + "/v1";

const storage = new MemoryStorage();
const errors = [];
const usage = new UsagePilot({ storage, providers: [${packCase.adapter}], ${packCase.options ?? ""} onError: (error) => errors.push(String(error)) });
const fetchWithUsage = usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") }));
const response = await fetchWithUsage(baseURL + ${JSON.stringify(call.path)}, {
  method: "POST",
  headers: { "content-type": "application/json", "x-user-id": "user-1" },
  body: ${JSON.stringify(JSON.stringify(call.body))},
});
const reply = JSON.stringify(await response.json());
await usage.flush();
await usage.shutdown();
server.closeAllConnections();
server.close();
const extra = ${packCase.extra ?? "null"};
console.log(JSON.stringify({ reply, events: storage.events, errors, extra }));
`;
}

/** Every workspace package by name, as pnpm sees the workspace. */
async function readWorkspace(): Promise<Map<string, WorkspacePackage>> {
  const { stdout } = await run("pnpm", ["ls", "--recursive", "--depth", "-1", "--json"], { cwd: root });
  const listed = JSON.parse(stdout) as { name: string; path: string }[];
  const workspace = new Map<string, WorkspacePackage>();
  for (const { name, path } of listed) {
    const manifest = JSON.parse(readFileSync(join(path, "package.json"), "utf8")) as Manifest;
    workspace.set(name, { name, path, manifest });
  }
  return workspace;
}

/** The package and the workspace packages it depends on at runtime, transitively. */
function internalClosure(workspace: Map<string, WorkspacePackage>, name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  const { manifest } = workspace.get(name)!;
  const runtime = { ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies };
  for (const dependency of Object.keys(runtime)) {
    if (workspace.has(dependency)) internalClosure(workspace, dependency, seen);
  }
  return seen;
}

/** Names of every package installed under `folder`/node_modules, nested ones included. */
function installedPackages(folder: string, found = new Set<string>()): Set<string> {
  const modules = join(folder, "node_modules");
  if (!existsSync(modules)) return found;
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith(".")) continue;
    const folders = entry.startsWith("@") ? readdirSync(join(modules, entry)).map((child) => join(modules, entry, child)) : [join(modules, entry)];
    for (const packageFolder of folders) {
      const manifestPath = join(packageFolder, "package.json");
      if (!existsSync(manifestPath)) continue;
      found.add((JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest).name);
      installedPackages(packageFolder, found);
    }
  }
  return found;
}

// npm and node must not inherit what a runner set for the monorepo (`npm run` sets npm_config_prefix and
// npm_config_local_prefix, which would install into the workspace); the network settings CI may give stay.
const keptNpmConfig = /^npm_config_(.*registry.*|.*proxy|cafile|ca|strict_ssl|cert|key|cache|\/\/.*)$/i;
const childEnvironment = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => key !== "NODE_OPTIONS" && !key.startsWith("VITEST") && (!key.toLowerCase().startsWith("npm_config_") || keptNpmConfig.test(key)),
  ),
);

let workspace: Map<string, WorkspacePackage>;
let temporary: string;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  workspace = await readWorkspace();
  temporary = mkdtempSync(join(tmpdir(), "usagepilot-pack-"));
  const destination = join(temporary, "tarballs");
  mkdirSync(destination);
  const names = new Set(cases.flatMap((packCase) => [...internalClosure(workspace, packCase.name)]));
  await Promise.all(
    [...names].map(async (name) => {
      const { stdout } = await run("pnpm", ["pack", "--pack-destination", destination, "--json"], { cwd: workspace.get(name)!.path });
      tarballs.set(name, (JSON.parse(stdout) as { filename: string }).filename);
    }),
  );
}, timeout);

afterAll(() => {
  if (temporary) rmSync(temporary, { recursive: true, force: true });
});

describe.each(cases)("$name", (packCase) => {
  it("is a published package whose runtime dependencies are all published", () => {
    const closure = internalClosure(workspace, packCase.name);
    for (const name of closure) expect(workspace.get(name)!.manifest.private, `${name} must be published`).not.toBe(true);
  });

  it(
    "installs from its tarball alone, imports by name and meters one call",
    async () => {
      const closure = internalClosure(workspace, packCase.name);
      const project = join(temporary, packCase.name.replace(/[@/]/g, "_"));
      mkdirSync(project);
      // The internal dependencies are not on the registry yet: the packed versions stand in for them.
      const overrides = Object.fromEntries([...closure].filter((name) => name !== packCase.name).map((name) => [name, `file:${tarballs.get(name)}`]));
      writeFileSync(join(project, "package.json"), JSON.stringify({ name: "pack-install-check", version: "1.0.0", private: true, type: "module", overrides }, null, 2));
      await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", tarballs.get(packCase.name)!], { cwd: project, env: childEnvironment });

      const installed = installedPackages(project);
      const installedWorkspace = [...installed].filter((name) => workspace.has(name)).sort();
      expect(installedWorkspace).toEqual([...closure].sort());
      expect(installed).not.toContain("@usagepilot/testing");
      const manifest = JSON.parse(readFileSync(join(project, "node_modules", packCase.name, "package.json"), "utf8")) as Manifest;
      expect(manifest.version).toBe(workspace.get(packCase.name)!.manifest.version);
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain("workspace:");

      writeFileSync(join(project, "smoke.mjs"), smokeScript(packCase));
      const { stdout } = await run("node", ["smoke.mjs"], { cwd: project, env: childEnvironment, timeout: 30_000 });
      const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { reply: string; events: unknown[]; errors: string[]; extra: unknown };
      expect(result.errors).toEqual([]);
      expect(result.reply).toContain("pong");
      expect(result.events).toHaveLength(1);
      expect(result.events[0]).toMatchObject({ dimensions: { user_id: "user-1" }, ...(packCase.expected ?? openAIEvent) });
      expect(result.extra).toEqual(packCase.expectedExtra ?? null);
    },
    timeout,
  );

  it(
    "passes publint with no error or warning",
    async () => {
      const folder = workspace.get(packCase.name)!.path;
      const { stdout } = await run("node", [join(root, "scripts", "publint-all.mjs"), folder], { cwd: root, env: childEnvironment }).catch((error: { stdout?: string; message: string }) => {
        throw new Error(`publint failed for ${packCase.name}:\n${error.stdout ?? error.message}`);
      });
      expect(stdout).toContain(`✓ ${packCase.name} `);
      expect(stdout).toContain("0 error(s), 0 warning(s)");
    },
    timeout,
  );
});
