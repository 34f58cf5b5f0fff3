/** What a budget counts: tokens, requests, cost in USD, or a named unit (`units.images`). */
export type LimitMetric = "tokens" | "requests" | "costUsd" | `units.${string}`;
