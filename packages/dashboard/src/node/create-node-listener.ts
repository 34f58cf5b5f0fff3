/** The little of node:http's IncomingMessage the listener reads (typed here so this package needs no Node types). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** The little of node:http's ServerResponse the listener writes. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string | string[]>): unknown;
  end(body?: Uint8Array): unknown;
}

/**
 * Adapts a Web-standard handler to `node:http` (and Express or Connect, which pass the same objects).
 *
 * @example
 * import http from "node:http";
 * http.createServer(createNodeListener(createDashboardHandler({ storage, secret }))).listen(3000);
 */
export function createNodeListener(handler: (request: Request) => Promise<Response>, options: { origin?: string } = {}): (request: NodeRequestLike, response: NodeResponseLike) => Promise<void> {
  return async (incoming, outgoing) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const method = incoming.method ?? "GET";
      let body: Uint8Array<ArrayBuffer> | undefined;
      if (method !== "GET" && method !== "HEAD") {
        const chunks: Uint8Array[] = [];
        for await (const chunk of incoming) chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
        body = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
        let offset = 0;
        for (const chunk of chunks) {
          body.set(chunk, offset);
          offset += chunk.byteLength;
        }
      }
      // The origin is fixed when known: a Host header is the client's to choose.
      const origin = options.origin ?? `http://${headers.get("host") ?? "localhost"}`;
      const request = new Request(new URL(incoming.url ?? "/", origin), { method, headers, ...(body ? { body } : {}) });
      const response = await handler(request);
      const responseHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      outgoing.writeHead(response.status, responseHeaders);
      outgoing.end(method === "HEAD" ? undefined : new Uint8Array(await response.arrayBuffer()));
    } catch {
      outgoing.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      outgoing.end(new TextEncoder().encode("Internal error"));
    }
  };
}
