import { z } from "zod";
import { describe, expect, it } from "vitest";
import { InvalidDimensionsError } from "../errors/invalid-dimensions-error";
import { MissingDimensionError } from "../errors/missing-dimension-error";
import { resolveDimensions, UNATTRIBUTED } from "./resolve-dimensions";

const schema = z.object({ user_id: z.string(), feature: z.enum(["chat", "analysis"]).optional() });

describe("resolveDimensions", () => {
  it("merges extracted and context dimensions, the context winning", async () => {
    const resolved = await resolveDimensions({
      extracted: { user_id: "from-header", organization_id: "org-1" },
      context: { user_id: "from-context", feature: "chat" },
      policy: {},
    });
    expect(resolved).toEqual({ dimensions: { user_id: "from-context", organization_id: "org-1", feature: "chat" }, error: undefined });
  });

  it("drops null, undefined and empty values, and an empty context value does not erase an extracted one", async () => {
    const resolved = await resolveDimensions({
      extracted: { user_id: "u1", organization_id: null, feature: "", plan: undefined },
      context: { user_id: "", plan: undefined },
      policy: {},
    });
    expect(resolved.dimensions).toEqual({ user_id: "u1" });
    expect(Object.keys(resolved.dimensions)).toEqual(["user_id"]);
    expect(resolved.error).toBeUndefined();
  });

  it("marks a missing required key UNATTRIBUTED and explains with MissingDimensionError", async () => {
    const resolved = await resolveDimensions({
      extracted: { user_id: null, feature: "chat" },
      context: undefined,
      policy: { required: ["user_id", "feature"] },
      url: "https://llm.test/v1/echo",
    });
    expect(resolved.dimensions).toEqual({ user_id: UNATTRIBUTED, feature: "chat" });
    expect(MissingDimensionError.isInstance(resolved.error)).toBe(true);
    expect((resolved.error as MissingDimensionError).missing).toEqual(["user_id"]);
    expect((resolved.error as MissingDimensionError).url).toBe("https://llm.test/v1/echo");
  });

  it("a required key supplied by the context is not missing", async () => {
    const resolved = await resolveDimensions({ extracted: {}, context: { user_id: "ctx" }, policy: { required: ["user_id"] } });
    expect(resolved).toEqual({ dimensions: { user_id: "ctx" }, error: undefined });
  });

  describe("with a zod v4 schema", () => {
    it("passes valid dimensions", async () => {
      expect(await resolveDimensions({ extracted: { user_id: "u1", feature: "analysis" }, context: undefined, policy: { schema } })).toEqual({
        dimensions: { user_id: "u1", feature: "analysis" },
        error: undefined,
      });
      expect(await resolveDimensions({ extracted: { user_id: "u1", feature: null }, context: undefined, policy: { schema } })).toEqual({ dimensions: { user_id: "u1" }, error: undefined });
    });

    it("a missing user_id becomes UNATTRIBUTED with a MissingDimensionError", async () => {
      const resolved = await resolveDimensions({ extracted: { user_id: "", feature: "chat" }, context: undefined, policy: { schema } });
      expect(resolved.dimensions).toEqual({ user_id: UNATTRIBUTED, feature: "chat" });
      expect(MissingDimensionError.isInstance(resolved.error)).toBe(true);
      expect((resolved.error as MissingDimensionError).missing).toEqual(["user_id"]);
    });

    it("an invalid feature is an InvalidDimensionsError naming the key", async () => {
      const resolved = await resolveDimensions({ extracted: { user_id: "u1", feature: "poetry" }, context: undefined, policy: { schema } });
      expect(InvalidDimensionsError.isInstance(resolved.error)).toBe(true);
      expect(MissingDimensionError.isInstance(resolved.error)).toBe(false);
      expect((resolved.error as InvalidDimensionsError).issues.map((issue) => issue.key)).toEqual(["feature"]);
      expect(resolved.dimensions.user_id).toBe("u1");
    });

    it("an invalid feature and a missing user_id: InvalidDimensionsError, and user_id still marked UNATTRIBUTED", async () => {
      const resolved = await resolveDimensions({ extracted: { feature: "poetry" }, context: undefined, policy: { schema } });
      expect(InvalidDimensionsError.isInstance(resolved.error)).toBe(true);
      expect(resolved.dimensions.user_id).toBe(UNATTRIBUTED);
    });

    it("the context is validated too", async () => {
      const resolved = await resolveDimensions({ extracted: { user_id: "u1", feature: "chat" }, context: { feature: "poetry" }, policy: { schema } });
      expect(InvalidDimensionsError.isInstance(resolved.error)).toBe(true);
    });
  });
});
