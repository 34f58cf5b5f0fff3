/** A tenant of the demo SaaS and how it behaves. */
export interface DemoTenant {
  organization: string;
  users: readonly string[];
  feature: "chat" | "analysis";
  model: string;
  /** Calls the simulator makes for this tenant. */
  calls: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Milliseconds between a user's calls. */
  pauseMs: number;
  /** Whether the calls stream. */
  stream: boolean;
  /** What the fake provider reports for each call: input and output tokens (cached and reasoning parts included). */
  usage: { input: number; output: number; cached?: number; reasoning?: number };
  /** Shown in the demo's output. */
  story: string;
}

/**
 * The simulated customers: an enterprise running large analyses on a reasoning model, a team chatting, a
 * hobbyist on a small plan that runs out, and a startup whose retry loop goes wild halfway through.
 */
export function demoTenants(scale = 1): DemoTenant[] {
  const calls = (count: number) => Math.max(1, Math.round(count * scale));
  return [
    { organization: "acme-corp", users: ["ana", "ben"], feature: "analysis", model: "o3-mini", calls: calls(24), concurrency: 2, pauseMs: 300, stream: false, usage: { input: 9_000, output: 2_600, cached: 2_048, reasoning: 1_200 }, story: "enterprise: large analyses on a reasoning model" },
    { organization: "globex", users: ["cara", "dev", "eli"], feature: "chat", model: "gpt-4o-mini", calls: calls(60), concurrency: 3, pauseMs: 150, stream: true, usage: { input: 900, output: 300, cached: 256 }, story: "team: everyday chat, streamed" },
    { organization: "solo-dev", users: ["hobbyist"], feature: "chat", model: "gpt-4.1-nano", calls: calls(30), concurrency: 1, pauseMs: 150, stream: false, usage: { input: 600, output: 400 }, story: "hobbyist: a 10,000-token monthly plan, refused once it is spent" },
    { organization: "loopy-labs", users: ["bot"], feature: "chat", model: "gpt-4o-mini", calls: calls(40), concurrency: 1, pauseMs: 200, stream: false, usage: { input: 500, output: 200 }, story: "startup: a retry loop that runs away half-way (an alert fires)" },
  ];
}
