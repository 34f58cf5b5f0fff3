import { testLicense } from "./test-license";
import type { TestHooks } from "./test-hooks";

/** Something a billing test opens and must close: a fake billing API, a storage. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * What every billing unit-test file sets up around its tests: one test licence for the file (`license`, read
 * inside tests), and `closeAfterEach(...)` for what a test opens, closed after it, last opened first.
 */
export function useBillingTestContext(hooks: Pick<TestHooks, "beforeAll" | "afterEach">): { readonly license: Awaited<ReturnType<typeof testLicense>>; closeAfterEach(...resources: Closable[]): void } {
  let license: Awaited<ReturnType<typeof testLicense>> | undefined;
  const open: Closable[] = [];
  hooks.beforeAll(async () => {
    license = await testLicense();
  });
  hooks.afterEach(async () => {
    for (const resource of open.splice(0).reverse()) await resource.close();
  });
  return {
    get license() {
      if (!license) throw new Error("the test licence is made in beforeAll; read it inside a test");
      return license;
    },
    closeAfterEach(...resources) {
      open.push(...resources);
    },
  };
}
