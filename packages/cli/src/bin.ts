#!/usr/bin/env node
import { runCli } from "./run-cli";

// The `usagepilot` executable: the process's streams, environment and signals around `runCli`.
const stopped = new Promise<void>((resolve) => {
  process.once("SIGINT", () => resolve());
  process.once("SIGTERM", () => resolve());
});
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stopped,
});
// A command is done when it returns, even if what it loaded (a config's database pool, an SDK's keep-alive
// sockets) would keep the process up: exit once the output is written.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
