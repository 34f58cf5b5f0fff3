#!/usr/bin/env node
import { runCli } from "./run-cli";

// The `usagepilot` executable: the process's streams, environment and signals around `runCli`.
const stopped = new Promise<void>((resolve) => {
  process.once("SIGINT", () => resolve());
  process.once("SIGTERM", () => resolve());
});
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stopped,
});
