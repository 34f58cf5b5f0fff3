import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** What `parseArgs` returns for these options in strict mode without positionals. */
type ParsedValues<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>["values"];

/**
 * `node:util` parseArgs in strict mode, returning a result instead of throwing on a typo: the parsed
 * values, or the sentence that says what was wrong (for the command to print with its usage).
 */
export function parseCommandArgs<const O extends Options>(args: string[], options: O): { ok: true; values: ParsedValues<O> } | { ok: false; error: string } {
  try {
    return { ok: true, values: parseArgs({ args, options, strict: true }).values };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
