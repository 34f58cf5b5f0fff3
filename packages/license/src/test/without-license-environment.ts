import { nodeProcess } from "./node-process";

/**
 * Runs `work` with USAGEPILOT_LICENSE_KEY unset, then puts it back: a licence-gate test must not pass thanks
 * to a key in the developer's environment.
 */
export async function withoutLicenseEnvironment(work: () => Promise<void>): Promise<void> {
  const env = nodeProcess?.env ?? {};
  const saved = env.USAGEPILOT_LICENSE_KEY;
  delete env.USAGEPILOT_LICENSE_KEY;
  try {
    await work();
  } finally {
    if (saved !== undefined) env.USAGEPILOT_LICENSE_KEY = saved;
  }
}
