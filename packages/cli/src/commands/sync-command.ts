import type { CliCommand } from "../cli-command";

/** The billing systems `usagepilot sync` will push usage to, and the commercial package each needs. */
export const billingTargets = { stripe: "@usagepilot/billing-stripe", chargebee: "@usagepilot/billing-chargebee" } as const;

/**
 * `usagepilot sync stripe|chargebee`. Registered so the command and its help exist; the sync itself
 * (loading the billing package, a progress bar, the report) is wired here once the billing packages
 * export their sync entry point. Until then it says what it needs and exits 2.
 */
export const syncCommand: CliCommand = {
  name: "sync",
  summary: "push usage to Stripe or Chargebee (needs the billing package)",
  usage: `usagepilot sync <stripe|chargebee> [options]

Pushes stored usage to the billing system, exactly once. Needs the commercial package for it:
  stripe     ${billingTargets.stripe}
  chargebee  ${billingTargets.chargebee}`,
  async run(args, context) {
    const target = args[0];
    if (target !== "stripe" && target !== "chargebee") {
      context.stderr(`usagepilot sync needs a target: stripe or chargebee.\n\n${this.usage}\n`);
      return 2;
    }
    // Extension point: import billingTargets[target] from the user's project and run its sync here.
    context.stderr(`usagepilot sync ${target} needs ${billingTargets[target]} (commercial, Pro licence): install it with npm install ${billingTargets[target]}. Syncing from the CLI is not available in this version yet.\n`);
    return 2;
  },
};
