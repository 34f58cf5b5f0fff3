import type { UsageQueryRow } from "@usagepilot/core";
import type { DashboardAnomaly } from "../dashboard-anomaly";
import type { DashboardQuotaStatus } from "../dashboard-quota-status";

/**
 * Defines the `<usagepilot-dashboard>` custom element in the browser. It is written here, type-checked with
 * the rest, and shipped as its own source text (`dashboardElementScript`), so it must not refer to anything
 * outside its body. Attributes: `token` (an embed or operator token) and `api` (where the handler is
 * mounted; default ""). Everything is drawn with DOM calls and hand-written SVG: no innerHTML with data,
 * no libraries, nothing fetched but the handler's own API.
 */
export function defineDashboardElement(): void {
  // Types only: erased at build, so the function's source still refers to nothing outside itself.
  type Row = UsageQueryRow;
  type Session = {
    access: { kind: "tenant"; dimensions: Record<string, string>; expiresAt: string } | { kind: "operator"; expiresAt: string };
    features: { quotas: boolean; anomalies: boolean };
    tenantKey: string;
    userKey: string;
    title: string;
  };
  type Quota = DashboardQuotaStatus;
  type Anomaly = DashboardAnomaly;
  type Metric = "cost" | "tokens";

  if (customElements.get("usagepilot-dashboard")) return;

  const svgNs = "http://www.w3.org/2000/svg";
  const palette = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#dc2626", "#ca8a04", "#64748b"];
  const notMeasured = "not measured";
  const noPrice = "no price";
  const styles = `
    :host { display: block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #0f172a; background: #f8fafc; padding: 16px; }
    header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; justify-content: space-between; margin-bottom: 16px; }
    h1 { font-size: 20px; margin: 0; } h2 { font-size: 15px; margin: 0 0 8px; }
    .scope { color: #475569; font-size: 13px; }
    .controls { display: flex; gap: 8px; flex-wrap: wrap; }
    button { font: inherit; border: 1px solid #cbd5e1; background: #fff; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
    button[aria-pressed="true"] { background: #1e293b; color: #fff; border-color: #1e293b; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin-bottom: 16px; }
    .tile, section { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 12px; }
    .tile .label { color: #64748b; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
    .tile .value { font-size: 22px; font-weight: 600; margin-top: 4px; }
    .tile .note, .note { color: #64748b; font-size: 12px; }
    .unknown { color: #b45309; font-style: italic; }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px; margin-bottom: 12px; }
    table { width: 100%; border-collapse: collapse; font-size: 13px; }
    th, td { text-align: right; padding: 4px 6px; border-bottom: 1px solid #f1f5f9; }
    th:first-child, td:first-child { text-align: left; }
    .legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 12px; margin-top: 6px; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
    .gauge { margin-bottom: 10px; } .bar { height: 10px; background: #e2e8f0; border-radius: 5px; overflow: hidden; }
    .fill { height: 100%; background: #16a34a; } .fill.warn { background: #ca8a04; } .fill.over { background: #dc2626; }
    ul { margin: 0; padding-left: 18px; } li { margin-bottom: 4px; }
    .error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; padding: 16px; border-radius: 8px; }
  `;

  function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  function svg(tag: string, attributes: Record<string, string | number>, ...children: Node[]): SVGElement {
    const node = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    node.append(...children);
    return node;
  }

  function groupDigits(digits: string): string {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /** Money stays a decimal string: rounded half up to 4 places with BigInt, never through a float. */
  function formatUsd(amount: string): string {
    const [whole = "0", fraction = ""] = amount.split(".");
    if (fraction.length <= 4) return `$${groupDigits(whole)}.${fraction.padEnd(2, "0")}`;
    const scaled = BigInt(whole + fraction.slice(0, 4)) + (Number(fraction[4]) >= 5 ? 1n : 0n);
    if (scaled === 0n) return "< $0.0001";
    const digits = scaled.toString().padStart(5, "0");
    return `$${groupDigits(digits.slice(0, -4))}.${digits.slice(-4)}`;
  }

  function formatCount(value: number): string {
    return groupDigits(String(value));
  }

  function unknown(text: string): HTMLSpanElement {
    return element("span", { class: "unknown" }, text);
  }

  function costCell(amount: string | null): Node {
    return amount === null ? unknown(noPrice) : document.createTextNode(formatUsd(amount));
  }

  function tokenCell(tokens: number | null): Node {
    return tokens === null ? unknown(notMeasured) : document.createTextNode(formatCount(tokens));
  }

  function sumTokens(row: Row): number | null {
    return row.inputTokens === null || row.outputTokens === null ? null : row.inputTokens + row.outputTokens;
  }

  /** The chart's value of a row; a float only for drawing, never shown as money. */
  function chartValue(row: Row, metric: Metric): number | null {
    return metric === "cost" ? (row.costUsd === null ? null : Number(row.costUsd)) : sumTokens(row);
  }

  /** Every day of the range, so a day without usage shows as a gap rather than vanishing. */
  function daysBetween(from: Date, to: Date): string[] {
    const days: string[] = [];
    for (let time = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); time < to.getTime(); time += 86_400_000) days.push(new Date(time).toISOString());
    return days;
  }

  function stackedBars(rows: Row[], key: string, metric: Metric, days: string[]): Node {
    const periods = [...new Set([...days, ...rows.map((row) => row.period ?? "")])].sort();
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(row.group[key] ?? "(none)", (totals.get(row.group[key] ?? "(none)") ?? 0) + (chartValue(row, metric) ?? 0));
    const series = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
    const shown = series.slice(0, palette.length - 1);
    const seriesOf = (name: string) => (shown.includes(name) ? name : "other");
    const names = series.length > shown.length ? [...shown, "other"] : shown;
    const stacks = new Map<string, Map<string, number>>();
    let measured = false;
    for (const row of rows) {
      const value = chartValue(row, metric);
      if (value === null) continue;
      measured = true;
      const stack = stacks.get(row.period ?? "") ?? new Map<string, number>();
      stack.set(seriesOf(row.group[key] ?? "(none)"), (stack.get(seriesOf(row.group[key] ?? "(none)")) ?? 0) + value);
      stacks.set(row.period ?? "", stack);
    }
    if (rows.length === 0) return element("p", { class: "note" }, "No usage in this period.");
    if (!measured) return element("p", { class: "unknown" }, metric === "cost" ? `${noPrice}: none of these calls had a known price` : `${notMeasured}: no call in this period reported tokens`);
    const width = 560;
    const height = 200;
    const left = 8;
    const bottom = 20;
    const max = Math.max(...[...stacks.values()].map((stack) => [...stack.values()].reduce((sum, value) => sum + value, 0)), 1e-12);
    const slot = (width - left) / Math.max(periods.length, 1);
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": `${metric} by ${key}` });
    chart.append(svg("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: "#cbd5e1" }));
    periods.forEach((period, index) => {
      let y = height - bottom;
      const stack = stacks.get(period) ?? new Map<string, number>();
      names.forEach((name, nameIndex) => {
        const value = stack.get(name);
        if (!value) return;
        const barHeight = (value / max) * (height - bottom - 10);
        y -= barHeight;
        const title = svg("title", {});
        title.textContent = `${period.slice(0, 10)} · ${name}: ${metric === "cost" ? `$${value.toFixed(6)}` : formatCount(value)}`;
        chart.append(svg("rect", { x: left + index * slot + slot * 0.1, y, width: Math.max(slot * 0.8, 1), height: Math.max(barHeight, 0.5), fill: palette[nameIndex % palette.length] ?? "#64748b" }, title));
      });
    });
    const first = svg("text", { x: left, y: height - 4, "font-size": 11, fill: "#64748b" });
    first.textContent = (periods[0] ?? "").slice(0, 10);
    const last = svg("text", { x: width, y: height - 4, "font-size": 11, fill: "#64748b", "text-anchor": "end" });
    last.textContent = (periods[periods.length - 1] ?? "").slice(0, 10);
    chart.append(first, last);
    const legend = element(
      "div",
      { class: "legend" },
      ...names.map((name, index) => {
        const swatch = element("span", { class: "swatch" });
        // CSSOM, not a style attribute: the page's CSP allows no inline styles.
        swatch.style.background = palette[index % palette.length] ?? "#64748b";
        return element("span", {}, swatch, name);
      }),
    );
    return element("div", {}, chart, legend);
  }

  function usageTable(rows: Row[], key: string, label: string, testId: string): Node {
    const sorted = [...rows].sort((a, b) => {
      const costA = a.costUsd === null ? -1 : Number(a.costUsd);
      const costB = b.costUsd === null ? -1 : Number(b.costUsd);
      return costB - costA || (sumTokens(b) ?? -1) - (sumTokens(a) ?? -1) || b.events - a.events;
    });
    const body = element("tbody");
    for (const row of sorted.slice(0, 10)) {
      body.append(
        element(
          "tr",
          { "data-key": row.group[key] ?? "" },
          element("td", {}, row.group[key] ?? "(none)"),
          element("td", {}, formatCount(row.events)),
          element("td", {}, tokenCell(row.inputTokens)),
          element("td", {}, tokenCell(row.outputTokens)),
          element("td", {}, costCell(row.costUsd)),
        ),
      );
    }
    if (sorted.length === 0) body.append(element("tr", {}, element("td", { colspan: "5", class: "note" }, "No usage in this period.")));
    const head = element("thead", {}, element("tr", {}, ...[label, "Requests", "Input tokens", "Output tokens", "Cost"].map((name) => element("th", {}, name))));
    return element("table", { "data-testid": testId }, head, body);
  }

  function gauges(quotas: Quota[]): Node {
    if (quotas.length === 0) return element("p", { class: "note" }, "No budgets apply.");
    const list = element("div", { "data-testid": "quotas" });
    for (const quota of quotas) {
      for (const metric of quota.metrics) {
        const ratio = Number(metric.limit) > 0 ? Number(metric.used) / Number(metric.limit) : 0;
        const money = metric.metric === "costUsd";
        const show = (value: number | string) => (money ? formatUsd(String(value)) : formatCount(Number(value)));
        const fill = element("div", { class: `fill${ratio >= 1 ? " over" : ratio >= 0.8 ? " warn" : ""}` });
        fill.style.width = `${Math.min(ratio, 1) * 100}%`;
        list.append(
          element(
            "div",
            { class: "gauge", "data-rule": quota.rule },
            element("div", {}, `${quota.rule} · ${metric.metric}: ${show(metric.used)} of ${show(metric.limit)}`),
            element("div", { class: "bar" }, fill),
            element("div", { class: "note" }, `${quota.action === "block" ? "blocks" : "notifies"} at the limit · resets ${new Date(quota.window.resetsAt).toISOString().slice(0, 16).replace("T", " ")} UTC`),
          ),
        );
      }
    }
    return list;
  }

  function anomalyList(anomalies: Anomaly[]): Node {
    if (anomalies.length === 0) return element("p", { class: "note" }, "Nothing unusual recently.");
    return element(
      "ul",
      { "data-testid": "anomalies" },
      ...anomalies.slice(0, 10).map((anomaly) => element("li", {}, element("strong", {}, `${anomaly.at.slice(0, 16).replace("T", " ")} · ${anomaly.kind}`), ` ${anomaly.message}`)),
    );
  }

  class UsagePilotDashboard extends HTMLElement {
    static get observedAttributes(): string[] {
      return ["token", "api"];
    }

    private readonly root: ShadowRoot;
    private days = 30;
    private metric: Metric = "cost";
    private generation = 0;

    constructor() {
      super();
      this.root = this.attachShadow({ mode: "open" });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(styles);
      // A constructed stylesheet needs no inline <style>, so the page's CSP can stay strict.
      this.root.adoptedStyleSheets = [sheet];
    }

    connectedCallback(): void {
      void this.load();
    }

    attributeChangedCallback(): void {
      if (this.isConnected) void this.load();
    }

    private async get(path: string): Promise<Response> {
      return fetch(`${this.getAttribute("api") ?? ""}${path}`, { headers: { authorization: `Bearer ${this.getAttribute("token") ?? ""}` } });
    }

    private async json<T>(path: string): Promise<T> {
      const response = await this.get(path);
      if (!response.ok) throw Object.assign(new Error(`${response.status}`), { status: response.status });
      return (await response.json()) as T;
    }

    private fail(message: string, state: string): void {
      this.setAttribute("data-state", state);
      this.root.replaceChildren(element("div", { class: "error", role: "alert", "data-testid": "error" }, message));
    }

    private async load(): Promise<void> {
      const generation = ++this.generation;
      this.setAttribute("data-state", "loading");
      let session: Session;
      try {
        session = await this.json<Session>("/api/session");
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (generation === this.generation) this.fail(status === 401 ? "This dashboard link is not valid or has expired. Reload the page you came from for a fresh one." : status === 403 ? "The dashboard is not licensed on this server." : "The dashboard could not be loaded.", status === 401 ? "denied" : "error");
        return;
      }
      const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
      const from = new Date(to.getTime() - this.days * 86_400_000);
      const range = `from=${from.toISOString()}&to=${to.toISOString()}`;
      const usage = (query: string) => this.json<{ rows: Row[] }>(`/api/usage?${range}&${query}`).then((answer) => answer.rows);
      try {
        const operator = session.access.kind === "operator";
        const [totals, byModel, byFeature, byUser, byTenant, quotas, anomalies] = await Promise.all([
          usage("granularity=total"),
          usage("granularity=day&groupBy=model"),
          usage("granularity=day&groupBy=feature"),
          usage(`granularity=total&groupBy=${encodeURIComponent(session.userKey)}`),
          operator ? usage(`granularity=total&groupBy=${encodeURIComponent(session.tenantKey)}`) : Promise.resolve([]),
          session.features.quotas ? this.json<{ quotas: Quota[] }>("/api/quotas").then((answer) => answer.quotas) : Promise.resolve([]),
          session.features.anomalies ? this.json<{ anomalies: Anomaly[] }>("/api/anomalies").then((answer) => answer.anomalies) : Promise.resolve([]),
        ]);
        if (generation !== this.generation) return;
        this.render(session, { totals, byModel, byFeature, byUser, byTenant, quotas, anomalies, range, days: daysBetween(from, to) });
        this.setAttribute("data-state", "ready");
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (generation === this.generation) this.fail(status === 401 ? "This dashboard link has expired. Reload the page you came from for a fresh one." : "Usage could not be read right now.", status === 401 ? "denied" : "error");
      }
    }

    private render(session: Session, data: { totals: Row[]; byModel: Row[]; byFeature: Row[]; byUser: Row[]; byTenant: Row[]; quotas: Quota[]; anomalies: Anomaly[]; range: string; days: string[] }): void {
      const total: Row = data.totals[0] ?? { period: null, group: {}, events: 0, unmeasuredEvents: 0, inputTokens: null, outputTokens: null, cachedInputTokens: null, cacheWriteInputTokens: null, reasoningTokens: null, units: {}, costUsd: null, unpricedEvents: 0 };
      const scope = session.access.kind === "operator" ? "All tenants (operator view)" : Object.entries(session.access.dimensions).map(([key, value]) => `${key}: ${value}`).join(", ");
      const rangeButtons = [7, 30, 90].map((days) => {
        const button = element("button", { type: "button", "aria-pressed": String(days === this.days) }, `${days} days`);
        button.addEventListener("click", () => {
          this.days = days;
          void this.load();
        });
        return button;
      });
      const metricButtons = (["cost", "tokens"] as const).map((metric) => {
        const button = element("button", { type: "button", "aria-pressed": String(metric === this.metric) }, metric === "cost" ? "Cost" : "Tokens");
        button.addEventListener("click", () => {
          this.metric = metric;
          void this.load();
        });
        return button;
      });
      const exportButton = element("button", { type: "button", "data-testid": "export" }, "Export CSV");
      exportButton.addEventListener("click", () => void this.download(`/api/export.csv?${data.range}&granularity=day&groupBy=model`));
      const tile = (label: string, testId: string, value: Node, exact: string, note: string) =>
        element("div", { class: "tile", "data-testid": testId, "data-value": exact }, element("div", { class: "label" }, label), element("div", { class: "value" }, value), element("div", { class: "note" }, note));
      const tiles = element(
        "div",
        { class: "tiles" },
        tile("Cost", "total-cost", costCell(total.costUsd), total.costUsd ?? "null", total.unpricedEvents > 0 ? `${formatCount(total.unpricedEvents)} call(s) with ${noPrice}, not included` : "exact, in USD"),
        tile("Input tokens", "input-tokens", tokenCell(total.inputTokens), String(total.inputTokens), total.unmeasuredEvents > 0 ? `${formatCount(total.unmeasuredEvents)} call(s) ${notMeasured}, not included` : "all calls measured"),
        tile("Output tokens", "output-tokens", tokenCell(total.outputTokens), String(total.outputTokens), "reasoning included"),
        tile("Requests", "requests", document.createTextNode(formatCount(total.events)), String(total.events), `last ${this.days} days`),
      );
      const chartTitle = this.metric === "cost" ? "Cost" : "Tokens";
      const sections: Node[] = [
        element("section", { "data-testid": "by-model" }, element("h2", {}, `${chartTitle} by model, per day`), stackedBars(data.byModel, "model", this.metric, data.days)),
        element("section", { "data-testid": "by-feature" }, element("h2", {}, `${chartTitle} by feature, per day`), stackedBars(data.byFeature, "feature", this.metric, data.days)),
      ];
      if (session.access.kind === "operator") sections.push(element("section", {}, element("h2", {}, "Tenants"), usageTable(data.byTenant, session.tenantKey, "Tenant", "tenants")));
      sections.push(element("section", {}, element("h2", {}, "Top users"), usageTable(data.byUser, session.userKey, "User", "top-users")));
      if (session.features.quotas) sections.push(element("section", {}, element("h2", {}, "Budgets"), gauges(data.quotas)));
      if (session.features.anomalies) sections.push(element("section", {}, element("h2", {}, "Recent anomalies"), anomalyList(data.anomalies)));
      this.root.replaceChildren(
        element("header", {}, element("div", {}, element("h1", {}, session.title), element("div", { class: "scope", "data-testid": "scope" }, scope)), element("div", { class: "controls" }, ...rangeButtons, ...metricButtons, exportButton)),
        tiles,
        element("div", { class: "grid" }, ...sections),
      );
    }

    private async download(path: string): Promise<void> {
      const response = await this.get(path);
      if (!response.ok) return this.fail("The export could not be made.", "error");
      const link = element("a", { href: URL.createObjectURL(await response.blob()), download: /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "usage.csv" });
      this.root.append(link);
      link.click();
      link.remove();
    }
  }

  customElements.define("usagepilot-dashboard", UsagePilotDashboard);
}
