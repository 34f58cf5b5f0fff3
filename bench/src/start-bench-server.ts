import { once } from "node:events";
import { Worker } from "node:worker_threads";

/** The fixed bodies the bench server answers with. */
export interface BenchServerBodies {
  /** The whole JSON body of a non-streaming chat completion. */
  json: string;
  /** The whole SSE body of a streaming chat completion; sent one event per write. */
  sse: string;
}

/** A running bench server. */
export interface BenchServer {
  /** E.g. `http://127.0.0.1:41234/v1`. */
  baseURL: string;
  close(): Promise<void>;
}

/**
 * Starts the bench server on a worker thread: `POST …/chat/completions` answers with `bodies.sse` when
 * the request body says `"stream":true`, else with `bodies.json`.
 */
export async function startBenchServer(bodies: BenchServerBodies): Promise<BenchServer> {
  const worker = new Worker(new URL("./bench-server.js", import.meta.url), { workerData: bodies });
  const [message] = (await once(worker, "message")) as [{ port: number }];
  return {
    baseURL: `http://127.0.0.1:${message.port}/v1`,
    async close() {
      worker.postMessage("close");
      await once(worker, "exit");
    },
  };
}
