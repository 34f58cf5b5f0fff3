import { UsagePilotError } from "@usagepilot/core";

const name = "UsagePilotSpoolLockedError";

/** Another live process holds the spool directory: each process needs its own. */
export class SpoolLockedError extends UsagePilotError {
  readonly directory: string;
  readonly pid: number;

  constructor(options: { directory: string; pid: number }) {
    super({ name, message: `The spool directory ${options.directory} is in use by process ${options.pid}; give each process its own directory (e.g. one per instance or per pid).` });
    this.directory = options.directory;
    this.pid = options.pid;
  }

  static override isInstance(error: unknown): error is SpoolLockedError {
    return UsagePilotError.isInstance(error) && error.name === name;
  }
}
