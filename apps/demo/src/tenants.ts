/** One simulated call: who makes it, through which client, and what the fake provider will report. */
export interface DemoCall {
  headers: { "x-user-id": string; "x-org-id": string; "x-feature": "chat" | "analysis" };
  client: "openai-sdk" | "ai-sdk";
  model: string;
  stream: boolean;
  usage: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number; reasoning_tokens?: number };
}

/** A small deterministic generator, so every run of the demo prints the same table. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Three tenants: an enterprise running large analyses on a reasoning model, a team chatting, and a
 * hobbyist with a handful of calls.
 */
export function demoCalls(): DemoCall[] {
  const random = sequence(42);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low));
  const calls: DemoCall[] = [];
  for (let index = 0; index < 12; index += 1) {
    const user = index % 3 === 0 ? "ana" : "ben";
    calls.push({
      headers: { "x-user-id": user, "x-org-id": "acme-corp", "x-feature": "analysis" },
      client: index % 2 === 0 ? "openai-sdk" : "ai-sdk",
      model: "o3-mini",
      stream: index % 4 === 1,
      usage: { prompt_tokens: between(4_000, 12_000), completion_tokens: between(1_500, 4_000), cached_tokens: index > 0 ? 2_048 : 0, reasoning_tokens: between(500, 1_400) },
    });
  }
  for (let index = 0; index < 20; index += 1) {
    const user = ["cara", "dev", "eli"][index % 3]!;
    calls.push({
      headers: { "x-user-id": user, "x-org-id": "globex", "x-feature": "chat" },
      client: index % 2 === 0 ? "ai-sdk" : "openai-sdk",
      model: "gpt-4o-mini",
      stream: index % 2 === 0,
      usage: { prompt_tokens: between(300, 1_500), completion_tokens: between(80, 600), cached_tokens: index % 5 === 0 ? 256 : 0 },
    });
  }
  for (let index = 0; index < 4; index += 1) {
    calls.push({
      headers: { "x-user-id": "hobbyist", "x-org-id": "solo-dev", "x-feature": "chat" },
      client: "openai-sdk",
      model: "gpt-4.1-nano",
      stream: index % 2 === 1,
      usage: { prompt_tokens: between(50, 200), completion_tokens: between(20, 200) },
    });
  }
  return calls;
}
