import type { ServerResponse } from "node:http";
import { sleep } from "../util/sleep";
import type { AnswerPlan } from "./plan-answer";

/** Resolves on the first of: `callback` being called, the response closing, the server closing. */
function settle(options: { response: ServerResponse; signal: AbortSignal; start: (done: () => void) => void }): Promise<void> {
  const { response, signal, start } = options;
  return new Promise((resolve) => {
    const done = () => {
      response.off("close", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    response.once("close", done);
    signal.addEventListener("abort", done, { once: true });
    start(done);
  });
}

/**
 * Writes a plan to the response, one `write` per piece with `delayMs` between them, honouring
 * backpressure. Calls `beforeFinish` with the pieces that were written before it ends the response
 * (or destroys the socket for a cut), so the record is complete before the client can see the end.
 * Stops early, without throwing, when the client goes away or the server closes.
 */
export async function sendAnswerPlan(options: {
  response: ServerResponse;
  plan: AnswerPlan;
  signal: AbortSignal;
  beforeFinish: (written: Uint8Array[]) => void;
}): Promise<void> {
  const { response, plan, signal } = options;
  let closed = false;
  response.once("close", () => {
    closed = true;
  });
  // A write racing a dropped connection must not become an unhandled 'error' that kills the test run.
  response.on("error", () => {});
  const gone = () => closed || signal.aborted || response.destroyed || response.socket?.destroyed === true;
  if ((plan.headersDelayMs ?? 0) > 0) {
    // A provider still working: nothing, not even the status, until the delay ends, the client gives up or
    // the server closes; the timer goes with whichever came first, so it holds nothing open.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await settle({ response, signal, start: (done) => (timer = setTimeout(done, plan.headersDelayMs)) });
    clearTimeout(timer);
  }
  const headers: Record<string, string | number> = { ...plan.headers };
  if (plan.fixedLength && headers["content-length"] === undefined) {
    headers["content-length"] = plan.pieces.reduce((total, piece) => total + piece.length, 0);
  }
  response.writeHead(plan.status, headers);
  // A stream's headers go out at once, as a real server's do, so the client's fetch resolves before the body.
  if (!plan.fixedLength) response.flushHeaders();

  const written: Uint8Array[] = [];
  for (const [index, piece] of plan.pieces.entries()) {
    if (index > 0 && plan.delayMs > 0) await sleep({ ms: plan.delayMs, signal });
    if (gone()) break;
    const last = index === plan.pieces.length - 1;
    written.push(piece);
    if (plan.cut && last) {
      // Wait until the bytes are handed to the kernel: destroying earlier could drop them.
      await settle({ response, signal, start: (done) => response.write(piece, done) });
    } else if (!response.write(piece)) {
      await settle({ response, signal, start: (done) => response.once("drain", done) });
    }
  }
  options.beforeFinish(written);
  if (gone()) {
    response.destroy();
    return;
  }
  if (plan.cut) {
    // Headers alone (afterChunks 0) are flushed asynchronously; give them a turn before the drop.
    await new Promise((resolve) => setImmediate(resolve));
    response.destroy();
    return;
  }
  response.end();
}
