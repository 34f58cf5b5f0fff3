import type { FakeLlmAnswer, RecordedRequest } from "@usagepilot/testing";
import type { DemoTenant } from "./demo-tenants";

/**
 * How the fake provider answers: by the tenant the SaaS names in its request headers, so concurrent
 * traffic gets each tenant's own usage. The runaway loop's prompts grow as its context piles up.
 */
export function fakeProviderAnswer(tenants: readonly DemoTenant[]): (request: RecordedRequest) => FakeLlmAnswer {
  const byOrganization = new Map(tenants.map((tenant) => [tenant.organization, tenant]));
  return (request) => {
    const tenant = byOrganization.get(request.headers["x-org-id"] ?? "");
    const usage = tenant?.usage ?? { input: 100, output: 50 };
    const runaway = Number(request.headers["x-loop-depth"] ?? 0);
    const input = usage.input * (1 + runaway);
    return {
      kind: "chat",
      usage: { prompt_tokens: input, completion_tokens: usage.output, cached_tokens: usage.cached ?? 0, reasoning_tokens: usage.reasoning ?? 0 },
      content: "An answer from the fake provider, word by word.",
      chunks: 8,
    };
  };
}
