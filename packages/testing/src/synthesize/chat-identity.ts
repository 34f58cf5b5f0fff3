import { randomId } from "../util/random-id";

/** The fields every chat completion and chunk of one answer shares, in OpenAI's order. */
export interface ChatIdentity {
  id: string;
  created: number;
  model: string;
}

/** A fresh `chatcmpl-…` id and the current time, for one synthesised chat answer. */
export function chatIdentity(options: { model: string; id?: string; created?: number }): ChatIdentity {
  return {
    id: options.id ?? randomId({ prefix: "chatcmpl-", length: 29 }),
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: options.model,
  };
}

/** The system fingerprint of every synthesised chat answer; real ones look like `fp_de604bd877`. */
export const fakeSystemFingerprint = "fp_fakellm000";
