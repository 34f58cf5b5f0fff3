import { defineDashboardElement } from "./define-dashboard-element";

/**
 * The `<usagepilot-dashboard>` element as a browser script (served at `/dashboard.js`, inlined in the page).
 * It is the type-checked function's own source, called once: no build step or bundler at run time.
 */
export function dashboardElementScript(): string {
  return `(${defineDashboardElement.toString()})();\n`;
}
