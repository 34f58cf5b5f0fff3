import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotUnknownPriceError";

/**
 * The price book knows no price for a model: its events are stored with cost null (unknown, never $0).
 * Reported through `onError` once per provider and model, not once per call.
 */
export class UnknownPriceError extends UsagePilotError {
  readonly provider: string;
  readonly model: string;

  constructor(options: { provider: string; model: string }) {
    super({ name, message: `No price known for ${options.provider} model "${options.model}": its events are stored with cost null. Add it to the price book (an override) to price them; stored events can be re-priced later.` });
    this.provider = options.provider;
    this.model = options.model;
  }

  static override isInstance(error: unknown): error is UnknownPriceError {
    return hasErrorName(error, name);
  }
}
