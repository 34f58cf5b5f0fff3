import { connect, createServer, type Socket } from "node:net";

/** A TCP proxy that can play a database going away and coming back. */
export interface TcpProxy {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** Connections forwarded so far. */
  readonly forwarded: number;
  /** Connections turned away while down. */
  readonly refused: number;
  /** Destroys every open connection and turns new ones away (reset at once) until `up()`. */
  down(): void;
  /** Forwards new connections again. */
  up(): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:<port> to `target`, byte for byte. Taken down, it behaves for a client like the server
 * going away: connections break mid-query and new ones are reset before a byte is exchanged. It keeps its
 * listening socket meanwhile: giving the port up for 30 s would let another process on this busy machine
 * take it, and then the database could not "come back".
 */
export async function createTcpProxy(options: { target: { host: string; port: number } }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let isUp = true;
  let forwarded = 0;
  let refused = 0;
  const server = createServer((client) => {
    if (!isUp) {
      refused += 1;
      client.on("error", () => {});
      client.resetAndDestroy();
      return;
    }
    forwarded += 1;
    const upstream = connect(options.target.port, options.target.host);
    open.add(client);
    open.add(upstream);
    const destroyBoth = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", destroyBoth).on("close", destroyBoth);
    upstream.on("error", destroyBoth).on("close", destroyBoth);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no TCP address");
  const destroyAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    port: address.port,
    get forwarded() {
      return forwarded;
    },
    get refused() {
      return refused;
    },
    down() {
      isUp = false;
      destroyAll();
    },
    up() {
      isUp = true;
    },
    close() {
      isUp = false;
      destroyAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
