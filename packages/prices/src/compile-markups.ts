import { type Decimal, parseDecimal, type PriceableEvent } from "@usagepilot/core";
import type { MarkupOption, MarkupRule } from "./markup-rule";

/** A markup as a factor, and how `priceSource` names it. */
export interface ResolvedMarkup {
  factor: Decimal;
  /** e.g. "markup:plan-pro(+20%)". */
  label: string;
}

/**
 * The factor of a rule: 1 + percent/100, or the multiplier, exactly.
 *
 * @throws RangeError for a rule with both or neither of `percent` and `multiplier`, or an out-of-range value.
 */
export function markupFactor(rule: Omit<MarkupRule, "when">): ResolvedMarkup {
  if ((rule.percent === undefined) === (rule.multiplier === undefined)) throw new RangeError(`Markup "${rule.name}": set exactly one of percent and multiplier`);
  if (rule.percent !== undefined) {
    const percent = parseDecimal(rule.percent);
    // 1 + p/100 = (100 + p)/100: a shift of the scale, no division.
    const factor = { units: 10n ** BigInt(percent.scale + 2) + percent.units, scale: percent.scale + 2 };
    if (factor.units < 0n) throw new RangeError(`Markup "${rule.name}": percent below -100: ${rule.percent}`);
    return { factor, label: `markup:${rule.name}(${percent.units < 0n ? "" : "+"}${rule.percent.trim()}%)` };
  }
  const factor = parseDecimal(rule.multiplier!);
  if (factor.units < 0n) throw new RangeError(`Markup "${rule.name}": negative multiplier: ${rule.multiplier}`);
  return { factor, label: `markup:${rule.name}(×${rule.multiplier!.trim()})` };
}

function matchesDimensions(event: PriceableEvent, when: Readonly<Record<string, string | readonly string[]>>): boolean {
  return Object.entries(when).every(([key, expected]) => {
    const actual = event.dimensions[key];
    if (actual === undefined) return false;
    return typeof expected === "string" ? actual === expected : expected.includes(actual);
  });
}

/**
 * Compiles the `markups` option into a function that picks an event's markup (or null). Rules are
 * checked when the book is created; a markup function's answer is checked per event.
 *
 * @throws RangeError for an invalid rule in a list.
 */
export function compileMarkups(option: MarkupOption | undefined): (event: PriceableEvent) => ResolvedMarkup | null {
  if (option === undefined) return () => null;
  if (typeof option === "function") {
    return (event) => {
      const rule = option(event);
      return rule ? markupFactor(rule) : null;
    };
  }
  const rules = option.map((rule) => ({ rule, markup: markupFactor(rule) }));
  return (event) => {
    for (const { rule, markup } of rules) {
      const when = rule.when;
      if (when === undefined || (typeof when === "function" ? when(event) : matchesDimensions(event, when))) return markup;
    }
    return null;
  };
}
