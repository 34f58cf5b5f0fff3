// The local server both sides of the interception benchmark call. It runs on its own worker thread so
// its work never shares the event loop with the fetch being measured.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import type { BenchServerBodies } from "./start-bench-server";

const bodies = workerData as BenchServerBodies;
const json = Buffer.from(bodies.json);
// One write per SSE event, as a provider sends them; encoded once so the server does as little as it can.
const events = bodies.sse
  .split("\n\n")
  .filter((event) => event !== "")
  .map((event) => Buffer.from(`${event}\n\n`));

function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  if (request.method !== "POST" || !request.url?.endsWith("/chat/completions")) {
    response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
    return;
  }
  if (body.includes('"stream":true')) {
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-request-id": "req_bench_stream" });
    for (const event of events) response.write(event);
    response.end();
    return;
  }
  response.writeHead(200, { "content-type": "application/json", "content-length": json.byteLength, "x-request-id": "req_bench_json" }).end(json);
}

const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  const parts: Buffer[] = [];
  request.on("data", (part: Buffer) => parts.push(part));
  request.on("end", () => answer(request, response, Buffer.concat(parts).toString("utf8")));
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the bench server has no TCP address");
  parentPort?.postMessage({ port: address.port });
});

parentPort?.on("message", (message: unknown) => {
  if (message === "close") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
