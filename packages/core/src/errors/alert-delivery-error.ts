import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotAlertDeliveryError";

/** An alert could not be delivered to its webhook after every attempt. The alert rides on the error. */
export class AlertDeliveryError extends UsagePilotError {
  readonly url: string;
  /** The last HTTP status, or undefined when no response came. */
  readonly status: number | undefined;
  readonly alertId: string;

  constructor(options: { url: string; status?: number; alertId: string; cause?: unknown }) {
    super({ name, message: `Alert ${options.alertId} could not be delivered to ${options.url}${options.status === undefined ? "" : ` (HTTP ${options.status})`}`, cause: options.cause });
    this.url = options.url;
    this.status = options.status;
    this.alertId = options.alertId;
  }

  static override isInstance(error: unknown): error is AlertDeliveryError {
    return hasErrorName(error, name);
  }
}
