import { dashboardElementScript } from "./dashboard-element-script";

/** Escapes text for an HTML attribute or element body. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * The self-contained dashboard page: the element's script and the page's few styles inline (under a CSP
 * nonce), nothing from a CDN. The token comes in the URL fragment (`#token=...`), which browsers never send
 * to a server or in a Referer; the page moves it into the element and removes it from the address bar.
 */
export function renderDashboardPage(options: { title: string; apiBase: string; nonce: string }): string {
  const nonce = escapeHtml(options.nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<style nonce="${nonce}">html, body { margin: 0; background: #f8fafc; }</style>
</head>
<body>
<usagepilot-dashboard api="${escapeHtml(options.apiBase)}"></usagepilot-dashboard>
<script nonce="${nonce}">
{
  // The token is set before the element is defined, so its first load already carries it.
  const dashboard = document.querySelector("usagepilot-dashboard");
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (token) history.replaceState(null, "", location.pathname + location.search);
  dashboard.setAttribute("token", token ?? "");
}
${dashboardElementScript()}</script>
</body>
</html>
`;
}
