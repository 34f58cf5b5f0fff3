import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, type LanguageModel, streamText } from "ai";
import { QuotaExceededError, type UsagePilot } from "usagepilot";

/** The demo SaaS's tenant dimensions, as DESIGN.md types them. */
export type DemoDimensions = { user_id: string; organization_id?: string; feature?: "chat" | "analysis" };

/** A running demo backend. */
export interface SaasBackend {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

/** Where the backend's AI calls go: the fake provider, or a real one when its key is given. */
export interface ProviderTarget {
  /** Default "openai" (the fake server speaks OpenAI's API). */
  kind?: "openai" | "anthropic" | "google";
  baseURL: string | undefined;
  apiKey: string;
  /** Tenant headers are for UsagePilot; a real provider need not see them. */
  stripTenantHeaders: boolean;
}

const tenantHeaders = ["x-user-id", "x-org-id", "x-feature", "x-loop-depth"];

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of request) text += String(chunk);
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * A small multi-tenant SaaS backend: `POST /api/ask` answers a prompt for the tenant its headers name
 * (as the SaaS's own auth would), through the AI SDK with UsagePilot's metered fetch. A quota refusal
 * becomes a 429 that says which budget ran out and when it resets. `extra` serves other paths (the
 * dashboard).
 */
export async function startSaasBackend(options: {
  usage: UsagePilot<DemoDimensions>;
  provider: ProviderTarget;
  extra?: (request: IncomingMessage, response: ServerResponse) => void;
  /** Default: any free port. */
  port?: number;
}): Promise<SaasBackend> {
  const fetchWithUsage = options.usage.createFetch(
    (request) => ({
      user_id: request.headers.get("x-user-id") || "anonymous",
      organization_id: request.headers.get("x-org-id"),
      feature: request.headers.get("x-feature") as DemoDimensions["feature"] | null,
    }),
    options.provider.stripTenantHeaders ? { stripHeaders: tenantHeaders } : {},
  );
  const settings = { apiKey: options.provider.apiKey, ...(options.provider.baseURL ? { baseURL: options.provider.baseURL } : {}), fetch: fetchWithUsage };
  // Against a real Anthropic or Gemini, each tenant's OpenAI model stands for that provider's small model.
  const modelFor: (name: string) => LanguageModel =
    options.provider.kind === "anthropic"
      ? (() => {
          const anthropic = createAnthropic(settings);
          return () => anthropic("claude-haiku-4-5");
        })()
      : options.provider.kind === "google"
        ? (() => {
            const google = createGoogleGenerativeAI(settings);
            return () => google("gemini-2.5-flash");
          })()
        : (() => {
            const openai = createOpenAI(settings);
            return (name: string) => openai.chat(name);
          })();

  const ask = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readJson(request);
    const headers = Object.fromEntries(tenantHeaders.flatMap((name) => (typeof request.headers[name] === "string" ? [[name, request.headers[name] as string]] : [])));
    const model = modelFor(typeof body.model === "string" ? body.model : "gpt-4o-mini");
    const prompt = typeof body.prompt === "string" ? body.prompt : "Hello";
    try {
      // A quota refusal is not worth retrying within the request.
      const text = body.stream === true ? await streamText({ model, prompt, headers, maxRetries: 0 }).text : (await generateText({ model, prompt, headers, maxRetries: 0 })).text;
      send(response, 200, { text });
    } catch (error) {
      const quota = findQuotaError(error);
      if (quota) send(response, 429, { error: quota.message, rule: quota.rule, resetsAt: quota.resetsAt });
      else send(response, 502, { error: error instanceof Error ? error.message : String(error) });
    }
  };

  const server = createServer((request, response) => {
    if (request.method === "POST" && request.url === "/api/ask") {
      ask(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
      return;
    }
    if (options.extra) {
      options.extra(request, response);
      return;
    }
    send(response, 404, { error: "not found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The AI SDK wraps what the fetch threw; the refusal is somewhere in the cause chain. */
function findQuotaError(error: unknown): QuotaExceededError | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (QuotaExceededError.isInstance(current)) return current;
  }
  return undefined;
}
