import { withClient } from "../../postgres/test/stored-totals";
import { addCall, type TotalsByTenant } from "./tenant-totals";

/** One stored event, as the ledger holds it. */
export interface StoredCall {
  id: string;
  tenant: string;
  callId: string;
  status: string;
  accuracy: string;
  streamed: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
}

/** Every event in the ledger, read straight from `usagepilot.events` (not through the storage under test). */
export async function storedCalls(url: string): Promise<StoredCall[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ id: string; tenant: string; call_id: string; status: string; accuracy: string; streamed: boolean; input_tokens: string | null; output_tokens: string | null }>(
      `SELECT id, dimensions->>'tenant_id' AS tenant, dimensions->>'call_id' AS call_id, status, accuracy, streamed, input_tokens, output_tokens
       FROM usagepilot.events ORDER BY ts, id`,
    );
    return rows.map((row) => ({
      id: row.id,
      tenant: row.tenant,
      callId: row.call_id,
      status: row.status,
      accuracy: row.accuracy,
      streamed: row.streamed,
      inputTokens: row.input_tokens === null ? null : Number(row.input_tokens),
      outputTokens: row.output_tokens === null ? null : Number(row.output_tokens),
    }));
  });
}

/**
 * The ledger's totals per tenant, comparable with `servedTenantTotals`: every event counts as one call;
 * only usage the provider reported (`accuracy = 'reported'`) is summed, since counted or estimated usage of
 * a cut stream is ours, not what the provider served.
 */
export async function storedTenantTotals(url: string): Promise<TotalsByTenant> {
  const totals: TotalsByTenant = {};
  for (const call of await storedCalls(url)) {
    const reported = call.accuracy === "reported" && call.inputTokens !== null && call.outputTokens !== null;
    addCall(totals, call.tenant, reported ? { inputTokens: call.inputTokens!, outputTokens: call.outputTokens! } : null);
  }
  return totals;
}
