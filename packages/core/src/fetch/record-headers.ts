/** Leading and trailing HTTP whitespace, which `Headers` strips from values. */
const edgeWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * The `Headers` of a plain-object header init (what the AI SDK passes), read without building a
 * `Headers`, which validates and copies every header on each call. `get` and `has` read the object
 * (names case-insensitively, values trimmed, same-named entries joined with ", ", as `Headers` does);
 * anything else works on a real copy made then, so changing it never changes the caller's object.
 */
export class RecordHeaders implements Headers {
  private copy: Headers | undefined;

  constructor(private readonly record: Readonly<Record<string, string>>) {}

  get(name: string): string | null {
    if (this.copy) return this.copy.get(name);
    const wanted = name.toLowerCase();
    let found: string | null = null;
    for (const key in this.record) {
      if (key.length !== wanted.length || !Object.hasOwn(this.record, key) || key.toLowerCase() !== wanted) continue;
      const value = String(this.record[key]).replace(edgeWhitespace, "");
      found = found === null ? value : `${found}, ${value}`;
    }
    return found;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    return this.real().getSetCookie();
  }

  append(name: string, value: string): void {
    this.real().append(name, value);
  }

  set(name: string, value: string): void {
    this.real().set(name, value);
  }

  delete(name: string): void {
    this.real().delete(name);
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.real().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): ReturnType<Headers["entries"]> {
    return this.real().entries();
  }

  keys(): ReturnType<Headers["keys"]> {
    return this.real().keys();
  }

  values(): ReturnType<Headers["values"]> {
    return this.real().values();
  }

  [Symbol.iterator](): ReturnType<Headers["entries"]> {
    return this.real().entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }

  private real(): Headers {
    this.copy ??= new Headers(this.record);
    return this.copy;
  }
}

/**
 * Whether a header init is a plain object of names to values (not `Headers`, not a list of pairs) that
 * `RecordHeaders` reads as `Headers` would. An own "__proto__" key is left to the runtime's `Headers`:
 * runtimes disagree on it (undici drops it).
 */
export function isHeaderRecord(init: HeadersInit | undefined): init is Record<string, string> {
  if (typeof init !== "object" || init === null || Array.isArray(init) || init instanceof Headers) return false;
  const prototype = Object.getPrototypeOf(init) as unknown;
  return (prototype === Object.prototype || prototype === null) && !Object.hasOwn(init, "__proto__");
}
