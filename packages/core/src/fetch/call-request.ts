import type { ProviderRequestV1, RequestBodyV1 } from "../provider/provider-adapter-v1";
import type { BoundedMemo } from "../util/bounded-memo";
import { isHeaderRecord, RecordHeaders } from "./record-headers";

const noBody: RequestBodyV1 = { text: undefined, json: () => undefined };

function parseURL(href: string): URL | null {
  try {
    return new URL(href);
  } catch {
    return null;
  }
}

/**
 * An outgoing call as adapters see it. Its `Headers` are made only when something reads them, and a
 * plain-object init (the AI SDK's) is read in place; its URL is parsed once per address.
 */
export class CallRequest implements ProviderRequestV1 {
  /** Set once the body has been read (before any adapter hook other than `match` runs). */
  body: RequestBodyV1 = noBody;
  private built: Headers | undefined;

  private constructor(
    readonly url: URL,
    readonly method: string,
    private readonly headersInit: HeadersInit | undefined,
  ) {}

  get headers(): Headers {
    const init = this.headersInit;
    this.built ??= init instanceof Headers ? init : isHeaderRecord(init) ? new RecordHeaders(init) : new Headers(init);
    return this.built;
  }

  /** The call `fetch(input, init)` makes, or undefined when its URL is not one. */
  static describe(input: RequestInfo | URL, init: RequestInit | undefined, urls: BoundedMemo<URL | null>): CallRequest | undefined {
    const href = input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
    const url = urls.get(href, () => parseURL(href));
    if (url === null) return undefined;
    if (input instanceof Request) return new CallRequest(url, (init?.method ?? input.method).toUpperCase(), init?.headers ?? input.headers);
    return new CallRequest(url, (init?.method ?? "GET").toUpperCase(), init?.headers);
  }
}
