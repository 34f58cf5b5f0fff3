/**
 * Decodes Stripe's v1 form encoding (what stripe-node sends): `payload[stripe_customer_id]=cus_1&a[b][c]=x`
 * becomes nested objects of strings.
 */
export function parseStripeForm(body: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split("[").map((part) => part.replace(/]$/, ""));
    let node = result;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
        return;
      }
      const child = node[part];
      if (typeof child === "object" && child !== null) node = child as Record<string, unknown>;
      else {
        const created: Record<string, unknown> = {};
        node[part] = created;
        node = created;
      }
    });
  }
  return result;
}
