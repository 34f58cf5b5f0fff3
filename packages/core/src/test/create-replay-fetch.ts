import { splitBytes } from "./split-bytes";
import { streamFromChunks } from "./stream-from-chunks";

/** One canned answer for `createReplayFetch`. */
export interface ReplayResponse {
  body: string | Uint8Array;
  status?: number;
  headers?: Record<string, string>;
  /** Byte offsets where the body is cut into chunks. */
  splitAt?: readonly number[];
  /** Stop after this many bytes and fail the stream with this error. */
  failAfter?: { bytes: number; error: unknown };
}

/**
 * A `fetch` that answers every request with a recorded body, split into chunks where asked, and keeps
 * the requests it saw. For adapter tests that need no server.
 */
export function createReplayFetch(answer: ReplayResponse | ((request: Request) => ReplayResponse)): typeof fetch & { requests: Request[] } {
  const requests: Request[] = [];
  const replay = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    const spec = typeof answer === "function" ? answer(request) : answer;
    let bytes = typeof spec.body === "string" ? new TextEncoder().encode(spec.body) : spec.body;
    if (spec.failAfter) bytes = bytes.slice(0, spec.failAfter.bytes);
    const stream = streamFromChunks(splitBytes(bytes, spec.splitAt ?? []), spec.failAfter ? { error: spec.failAfter.error } : {});
    return new Response(stream, { status: spec.status ?? 200, headers: spec.headers ?? { "content-type": "application/json" } });
  };
  return Object.assign(replay, { requests }) as typeof fetch & { requests: Request[] };
}
