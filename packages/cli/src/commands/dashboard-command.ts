import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CliCommand } from "../cli-command";
import { databaseOptions, databaseUsage, openStorage } from "../open-storage";
import { parseCommandArgs } from "../parse-command-args";

/** The little of @usagepilot/dashboard this command uses (the package is commercial and optional, so not a dependency). */
interface DashboardModule {
  createDashboardHandler(options: { storage: unknown; secret: string; licenseKey?: string; licensePublicKey?: string; onError?: (error: unknown) => void }): (request: Request) => Promise<Response>;
  createOperatorToken(options: { secret: string; expiresIn: string }): Promise<string>;
  createNodeListener(handler: (request: Request) => Promise<Response>, options?: { origin?: string }): Parameters<typeof createServer>[1];
}

const dashboardPackage = "@usagepilot/dashboard";

/**
 * Loads @usagepilot/dashboard from the user's project (the working directory) first, then from beside the
 * CLI: `npx usagepilot` runs from a cache where the project's own packages are not visible otherwise.
 */
async function importDashboard(cwd: string): Promise<DashboardModule | undefined> {
  for (const base of [join(cwd, "package.json"), import.meta.url]) {
    let resolved: string;
    try {
      resolved = createRequire(base).resolve(dashboardPackage);
    } catch {
      continue;
    }
    return (await import(pathToFileURL(resolved).href)) as DashboardModule;
  }
  return undefined;
}

/** `usagepilot dashboard`: serves the dashboard on this machine and prints an operator link with a token. */
export const dashboardCommand: CliCommand = {
  name: "dashboard",
  summary: "serve the usage dashboard locally (needs @usagepilot/dashboard)",
  usage: `usagepilot dashboard [options]

Serves the dashboard (the commercial ${dashboardPackage}, with a Pro licence key in
USAGEPILOT_LICENSE_KEY) and prints a link to the operator view, across all tenants.

  --port <n>    port to listen on (default 4100; 0 picks a free one)
  --host <h>    address to listen on (default 127.0.0.1: this machine only)
${databaseUsage}

Tokens are signed with USAGEPILOT_DASHBOARD_SECRET (32 bytes or more) when set, else with a random
secret made for this run, so links end with it.`,
  async run(args, context) {
    const parsed = parseCommandArgs(args, { ...databaseOptions, port: { type: "string" }, host: { type: "string" } });
    if (!parsed.ok) {
      context.stderr(`${parsed.error}\n\n${this.usage}\n`);
      return 2;
    }
    const port = Number(parsed.values.port ?? "4100");
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      context.stderr(`--port must be a whole number from 0 to 65535\n`);
      return 2;
    }
    const host = parsed.values.host ?? "127.0.0.1";
    const dashboard = await importDashboard(context.cwd);
    if (!dashboard) {
      context.stderr(`usagepilot dashboard needs ${dashboardPackage} (commercial, Pro licence): npm install ${dashboardPackage}\n`);
      return 2;
    }
    const secret = context.env.USAGEPILOT_DASHBOARD_SECRET ?? randomBytes(32).toString("base64url");
    const { storage, where } = openStorage(parsed.values, context);
    let problems = 0;
    const handler = dashboard.createDashboardHandler({
      storage,
      secret,
      ...(context.env.USAGEPILOT_LICENSE_KEY ? { licenseKey: context.env.USAGEPILOT_LICENSE_KEY } : {}),
      // A licence server of one's own (and the tests' key pair); UsagePilot's key is the default.
      ...(context.env.USAGEPILOT_LICENSE_PUBLIC_KEY ? { licensePublicKey: context.env.USAGEPILOT_LICENSE_PUBLIC_KEY } : {}),
      onError: (error) => {
        problems += 1;
        context.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
      },
    });
    // The licence is checked before anything is served: a refusal ends the command with its reason.
    const probe = await handler(new Request("http://localhost/"));
    if (probe.status === 403) {
      if (problems === 0) context.stderr(`${((await probe.json()) as { message?: string }).message ?? "The dashboard is not licensed"}\n`);
      await storage.close();
      return 1;
    }
    const server = createServer(dashboard.createNodeListener(handler));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, resolve);
      });
    } catch (error) {
      context.stderr(`Could not listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}\n`);
      await storage.close();
      return 1;
    }
    const address = server.address() as AddressInfo;
    const shownHost = host.includes(":") ? `[${host}]` : host;
    const token = await dashboard.createOperatorToken({ secret, expiresIn: "12h" });
    context.stdout(`Dashboard for ${where}\nOperator view (all tenants; the link is valid for 12 hours):\n  http://${shownHost}:${address.port}/#token=${token}\nPress Ctrl-C to stop.\n`);
    await context.stopped;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await storage.close();
    context.stdout("Dashboard stopped.\n");
    return 0;
  },
};
