import type { TokenUsage, UsageEvent } from "usagepilot";

/** What every event of one kind of call must say. */
export interface ExpectedEvents {
  /** E.g. "non-streaming". */
  label: string;
  /** How many metered calls of this kind were made (warm-up included). */
  count: number;
  streamed: boolean;
  model: string;
  userId: string;
  usage: Pick<TokenUsage, "inputTokens" | "outputTokens">;
}

/** Whether one event fails what its kind of call must record. */
export function eventProblem(event: UsageEvent, expected: ExpectedEvents): boolean {
  return (
    event.status !== "ok" ||
    event.accuracy !== "reported" ||
    event.model !== expected.model ||
    event.dimensions.user_id !== expected.userId ||
    event.usage?.inputTokens !== expected.usage.inputTokens ||
    event.usage?.outputTokens !== expected.usage.outputTokens
  );
}

/**
 * Checks that the metered side recorded one correct event per call, so the benchmark cannot time a
 * path that silently stopped metering. Returns the problems found; none means the path is sound.
 */
export function verifyEvents(events: readonly UsageEvent[], expected: ExpectedEvents): string[] {
  const own = events.filter((event) => event.streamed === expected.streamed);
  const problems: string[] = [];
  if (own.length !== expected.count) problems.push(`${expected.label}: ${own.length} events stored for ${expected.count} metered calls`);
  const wrong = own.filter((event) => eventProblem(event, expected));
  if (wrong.length > 0) problems.push(`${expected.label}: ${wrong.length} event(s) with the wrong status, model, dimensions or usage, e.g. ${JSON.stringify(wrong[0])}`);
  return problems;
}
