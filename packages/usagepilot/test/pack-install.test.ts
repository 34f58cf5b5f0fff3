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
}

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
    imports: `import { createOpenAIAdapter, MemoryStorage, UsagePilot } from "usagepilot";`,
    adapter: openAIAdapter,
  },
];

/** The script run in the installed project: a local provider, one metered call, the stored events as JSON. */
function smokeScript(packCase: PackCase): string {
  return `import { createServer } from "node:http";
${packCase.imports}

const answer = {
  id: "chatcmpl-pack",
  object: "chat.completion",
  model: "gpt-4o-mini-2024-07-18",
  choices: [{ index: 0, message: { role: "assistant", content: "pong" }, finish_reason: "stop" }],
  usage: {
    prompt_tokens: 11,
    completion_tokens: 7,
    total_tokens: 18,
    prompt_tokens_details: { cached_tokens: 3 },
    completion_tokens_details: { reasoning_tokens: 2 },
  },
};
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "x-request-id": "req_pack" });
    response.end(JSON.stringify(answer));
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseURL = "http://127.0.0.1:" + server.address().port + "/v1";

const storage = new MemoryStorage();
const errors = [];
const usage = new UsagePilot({ storage, providers: [${packCase.adapter}], onError: (error) => errors.push(String(error)) });
const fetchWithUsage = usage.createFetch((request) => ({ user_id: request.headers.get("x-user-id") }));
const response = await fetchWithUsage(baseURL + "/chat/completions", {
  method: "POST",
  headers: { "content-type": "application/json", "x-user-id": "user-1" },
  body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "ping" }] }),
});
const reply = await response.json();
await usage.flush();
await usage.shutdown();
server.closeAllConnections();
server.close();
console.log(JSON.stringify({ reply: reply.choices[0].message.content, events: storage.events, errors }));
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
      const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { reply: string; events: unknown[]; errors: string[] };
      expect(result.errors).toEqual([]);
      expect(result.reply).toBe("pong");
      expect(result.events).toHaveLength(1);
      expect(result.events[0]).toMatchObject({
        provider: "openai",
        operation: "chat",
        model: "gpt-4o-mini-2024-07-18",
        dimensions: { user_id: "user-1" },
        status: "ok",
        accuracy: "reported",
        streamed: false,
        providerRequestId: "req_pack",
        usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3, cacheWriteInputTokens: 0, reasoningTokens: 2 },
      });
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
