/** The columns of a stored usage event the billing sync reads (as node-postgres and PGlite return them). */
export interface StoredUsageRow {
  id: string;
  ts: Date | string;
  stored_at: Date | string;
  dimensions: Record<string, unknown> | string;
  status: string;
  input_tokens: number | string | bigint | null;
  output_tokens: number | string | bigint | null;
  cached_input_tokens: number | string | bigint | null;
  reasoning_tokens: number | string | bigint | null;
  units: Record<string, unknown> | string;
  cost_usd: string | null;
}
