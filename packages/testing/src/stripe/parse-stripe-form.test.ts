import { describe, expect, it } from "vitest";
import { createFaultInjector } from "./billing-fault";
import { parseStripeForm } from "./parse-stripe-form";
import { sumDecimalText } from "./sum-decimal-text";

describe("parseStripeForm", () => {
  it("decodes stripe-node's bracketed form encoding into nested objects", () => {
    const body = "event_name=ai_tokens&payload%5Bstripe_customer_id%5D=cus_1&payload%5Bvalue%5D=120&identifier=up1&timestamp=1700000000";
    expect(parseStripeForm(body)).toEqual({ event_name: "ai_tokens", payload: { stripe_customer_id: "cus_1", value: "120" }, identifier: "up1", timestamp: "1700000000" });
  });
});

describe("sumDecimalText", () => {
  it("sums decimal strings exactly", () => {
    expect(sumDecimalText(["0.1", "0.2", "3"])).toBe("3.3");
    expect(sumDecimalText(["9007199254740993", "1"])).toBe("9007199254740994");
    expect(sumDecimalText([])).toBe("0");
  });
});

describe("createFaultInjector", () => {
  it("serves queued faults to matching paths first and draws the random plan deterministically", () => {
    const injector = createFaultInjector();
    injector.failNext({ kind: "429", path: /meter_events$/ });
    expect(injector.draw("/v1/customers/cus_1")).toBeUndefined();
    expect(injector.draw("/v1/billing/meter_events")).toEqual({ kind: "429", path: /meter_events$/ });
    injector.setPlan({ rate: 0.2, seed: 3 });
    const first = Array.from({ length: 1000 }, () => injector.draw("/x"));
    injector.setPlan({ rate: 0.2, seed: 3 });
    const second = Array.from({ length: 1000 }, () => injector.draw("/x"));
    expect(second).toEqual(first);
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });
});
