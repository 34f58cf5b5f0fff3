/**
 * vitest's `beforeAll`, `afterAll` and `afterEach`, passed in by the test file: this entry does not import
 * vitest (it is not a dependency of the package).
 */
export interface TestHooks {
  beforeAll(hook: () => Promise<void>, timeoutMs?: number): void;
  afterAll(hook: () => Promise<void>): void;
  afterEach(hook: () => Promise<void>): void;
}
