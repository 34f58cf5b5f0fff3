import type { TokenizerV1 } from "@usagepilot/core";

export interface ErrorBound {
  tokens: number;
  ratio: number;
}

export interface FixtureOutput {
  fixture: string;
  provider: string;
  model: string;
  text: string;
  reported: number;
  compared: string;
  bound: ErrorBound | "anthropic" | "google";
}

export interface AccuracyRow {
  side: "output" | "input";
  source: string;
  model: string;
  compared: string;
  reported: number;
  counted: number;
  accuracy: "counted" | "estimated";
  error: number;
  bound: ErrorBound;
}

export interface TokenizerModule {
  createTokenizer(): TokenizerV1;
  tokenizerFallbacks: Readonly<Record<"anthropic" | "google" | "other", { errorBound: ErrorBound | null }>>;
}

export function fixtureOutputs(): FixtureOutput[];
export const cookbookMessages: { role: string; content: string; name?: string }[];
export const cookbookReported: { model: string; reported: number }[];
export function withinBound(error: number, reported: number, bound: ErrorBound): boolean;
export function accuracyRows(tokenizers: TokenizerModule): AccuracyRow[];
export function accuracyTable(rows: AccuracyRow[]): string;
