import { describe, expect, it } from "vitest";
import { describeStorageConformance } from "../test/storage-conformance";
import { MemoryStorage } from "./memory-storage";

describeStorageConformance({ name: "MemoryStorage", create: async () => new MemoryStorage() }, { describe, it, expect });
