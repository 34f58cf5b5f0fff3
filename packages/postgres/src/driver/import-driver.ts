import { StorageError } from "@usagepilot/core";

/** Imports an optional driver package, or says plainly which one to install. */
export async function importDriver<T>(name: "pg" | "@electric-sql/pglite", load: () => Promise<T>, purpose: string): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    throw new StorageError({ message: `PostgresStorage needs the "${name}" package ${purpose}: npm install ${name}`, eventCount: 0, attempt: 1, isRetryable: false, cause });
  }
}
