import type { DemoTenant } from "./demo-tenants";

/** What the simulator saw. */
export interface TrafficResult {
  /** Answers by HTTP status, per organisation. */
  statuses: Record<string, Record<number, number>>;
  /** The first refusal message per organisation (quota refusals say which budget and when it resets). */
  refusals: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plays each tenant's users against the SaaS backend at once. The runaway tenant behaves for half its
 * calls, then its retry loop fires back to back with a context that grows on every turn.
 */
export async function simulateTraffic(options: {
  backendURL: string;
  tenants: readonly DemoTenant[];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}): Promise<TrafficResult> {
  const total = options.tenants.reduce((sum, tenant) => sum + tenant.calls, 0);
  let done = 0;
  const result: TrafficResult = { statuses: {}, refusals: {} };

  const call = async (tenant: DemoTenant, index: number) => {
    const runaway = tenant.organization === "loopy-labs" && index >= tenant.calls / 2;
    const response = await fetch(`${options.backendURL}/api/ask`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-user-id": tenant.users[index % tenant.users.length]!,
        "x-org-id": tenant.organization,
        "x-feature": tenant.feature,
        ...(runaway ? { "x-loop-depth": String(index - Math.floor(tenant.calls / 2) + 1) } : {}),
      },
      body: JSON.stringify({ model: tenant.model, prompt: `Request ${index} from ${tenant.organization}`, stream: tenant.stream }),
    });
    const body = (await response.json()) as { error?: string };
    const statuses = (result.statuses[tenant.organization] ??= {});
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status !== 200 && body.error && !result.refusals[tenant.organization]) result.refusals[tenant.organization] = body.error;
    done += 1;
    options.onProgress?.(done, total);
    if (!runaway) await sleep(tenant.pauseMs);
  };

  const runTenant = async (tenant: DemoTenant) => {
    let next = 0;
    const worker = async () => {
      while (next < tenant.calls && !options.signal?.aborted) await call(tenant, next++);
    };
    await Promise.all(Array.from({ length: tenant.concurrency }, worker));
  };
  await Promise.all(options.tenants.map(runTenant));
  return result;
}
