/** The slice of Node's `process` the billing tests' helpers use. */
export interface NodeProcessLike {
  env: Record<string, string | undefined>;
  pid: number;
  kill(pid: number, signal: "SIGKILL"): unknown;
  stdout: { write(text: string): unknown };
}

/**
 * Node's `process`, reached through `globalThis`: this entry is type-checked without Node's types (the
 * package itself runs anywhere), while the helpers that need a process only ever run in Node tests.
 * Undefined outside Node.
 */
export const nodeProcess: NodeProcessLike | undefined = (globalThis as { process?: NodeProcessLike }).process;
