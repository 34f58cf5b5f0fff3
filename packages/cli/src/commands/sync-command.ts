import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { CliCommand } from "../cli-command";
import { parseCommandArgs } from "../parse-command-args";
import { formatProgressBar } from "../format/format-progress-bar";

/** The billing systems `usagepilot sync` pushes usage to, and the commercial package each needs. */
export const billingTargets = { stripe: "@usagepilot/billing-stripe", chargebee: "@usagepilot/billing-chargebee" } as const;

/** What the CLI needs of a billing sync (`createStripeBilling(...)`, `createChargebeeBilling(...)`). */
interface BillingSyncLike {
  sync(options?: { onProgress?: (progress: { sentLines: number; totalLines: number }) => void }): Promise<{
    claimedEvents: number;
    sentLines: number;
    pendingLines: number;
    mode: string | null;
    problems: { reason: string; tenantKey: string; meter: string; lines: number; value: string; message: string | null }[];
    failures: string[];
  }>;
}

const defaultConfig = "usagepilot.config.mjs";

/**
 * `usagepilot sync stripe|chargebee`: loads the billing sync from the project's config file (its `billing`
 * export, built with the commercial package and its licence) and runs it once, with a progress bar.
 */
export const syncCommand: CliCommand = {
  name: "sync",
  summary: "push stored usage to Stripe or Chargebee, exactly once (needs the billing package)",
  usage: `usagepilot sync <stripe|chargebee> [--config ${defaultConfig}]

Pushes usage stored since the last run to the billing system, exactly once (retries resend the same
identifiers). The config file exports the billing syncs, built with the commercial packages:

  // ${defaultConfig}
  import Stripe from "stripe";
  import { PostgresStorage } from "@usagepilot/postgres";
  import { createStripeBilling } from "${billingTargets.stripe}";
  const storage = new PostgresStorage({ connectionString: process.env.DATABASE_URL });
  export const billing = {
    stripe: await createStripeBilling({ stripe: new Stripe(process.env.STRIPE_SECRET_KEY), storage, meters: [...], resolveCustomer }),
  };

Exit code 0 when everything was sent, 1 when lines are left pending or problems were reported.`,
  async run(args, context) {
    const target = args[0];
    if (target !== "stripe" && target !== "chargebee") {
      context.stderr(`usagepilot sync needs a target: stripe or chargebee.\n\n${this.usage}\n`);
      return 2;
    }
    const parsed = parseCommandArgs(args.slice(1), { config: { type: "string" } });
    if (!parsed.ok) {
      context.stderr(`${parsed.error}\n\n${this.usage}\n`);
      return 2;
    }
    const configPath = resolve(context.cwd, (parsed.values.config as string | undefined) ?? defaultConfig);
    if (!existsSync(configPath)) {
      context.stderr(`No ${configPath}. usagepilot sync ${target} runs the sync your config file builds with ${billingTargets[target]} (commercial, Pro licence).\n\n${this.usage}\n`);
      return 2;
    }
    const config = (await import(pathToFileURL(configPath).href)) as { billing?: Partial<Record<string, BillingSyncLike>> };
    const billing = config.billing?.[target];
    if (!billing || typeof billing.sync !== "function") {
      context.stderr(`${configPath} exports no billing.${target}: export const billing = { ${target}: await create${target === "stripe" ? "Stripe" : "Chargebee"}Billing(...) }.\n`);
      return 2;
    }
    const report = await billing.sync({
      onProgress: ({ sentLines, totalLines }) => context.stderr(`\r${formatProgressBar(sentLines, totalLines)} lines sent to ${target}`),
    });
    context.stderr("\n");
    context.stdout(
      `${report.claimedEvents} new event(s) claimed, ${report.sentLines} line(s) sent${report.mode ? ` (${report.mode})` : ""}, ${report.pendingLines} pending.\n`,
    );
    for (const problem of report.problems) {
      context.stdout(`not billed: ${problem.tenantKey} ${problem.meter} — ${problem.lines} line(s), ${problem.value} (${problem.reason}${problem.message ? `: ${problem.message}` : ""})\n`);
    }
    for (const failure of report.failures) context.stderr(`retried: ${failure}\n`);
    return report.pendingLines === 0 && report.problems.length === 0 ? 0 : 1;
  },
};
