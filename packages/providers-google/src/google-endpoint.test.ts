import { describe, expect, it } from "vitest";
import { createGoogleAdapter } from "./create-google-adapter";
import { googleEndpoint } from "./google-endpoint";

const match = (href: string, options: Parameters<typeof createGoogleAdapter>[0] = {}, method = "POST") => createGoogleAdapter(options).match({ url: new URL(href), method, headers: new Headers() });

describe("googleEndpoint and the adapter's URL matching", () => {
  it("claims the Gemini API as google, with the model from the path", () => {
    const call = match("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    expect(call).toMatchObject({ provider: "google", operation: "chat" });
    expect(call!.requestedModel({})).toBe("gemini-2.5-flash");
    expect(call!.isStreamRequest({})).toBe(false);
  });

  it("reads streams with and without alt=sse", () => {
    expect(googleEndpoint(new URL("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"))).toEqual({ method: "streamGenerateContent", model: "gemini-2.5-pro", sse: true });
    expect(googleEndpoint(new URL("https://generativelanguage.googleapis.com/v1/models/gemini-2.5-pro:streamGenerateContent?key=abc"))).toEqual({ method: "streamGenerateContent", model: "gemini-2.5-pro", sse: false });
    expect(match("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent")!.isStreamRequest({})).toBe(true);
  });

  it("claims Vertex AI regional and global endpoints as google-vertex", () => {
    const regional = match("https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(regional).toMatchObject({ provider: "google-vertex", operation: "chat" });
    expect(regional!.requestedModel({})).toBe("gemini-2.5-flash");
    const global = match("https://aiplatform.googleapis.com/v1beta1/projects/p/locations/global/publishers/google/models/gemini-3-pro-preview:generateContent");
    expect(global).toMatchObject({ provider: "google-vertex" });
    expect(global!.requestedModel({})).toBe("gemini-3-pro-preview");
    // Vertex express mode, with an API key and no project in the path.
    expect(match("https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-flash:generateContent?key=k")).toMatchObject({ provider: "google-vertex" });
    expect(match("https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/endpoints/1234567:generateContent")!.requestedModel({})).toBe("1234567");
  });

  it("names embeddings and countTokens calls", () => {
    expect(match("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent")).toMatchObject({ operation: "embeddings" });
    expect(match("https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents")).toMatchObject({ operation: "embeddings" });
    expect(match("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens")).toMatchObject({ operation: "count-tokens" });
  });

  it("claims configured base URLs (proxies) with their provider name", () => {
    const options = { baseURLs: [{ baseURL: "https://gateway.example.com/google/v1beta/" }, { baseURL: "https://vertex-proxy.example.com/v1", provider: "google-vertex" }] };
    expect(match("https://gateway.example.com/google/v1beta/models/gemini-2.5-flash:generateContent", options)).toMatchObject({ provider: "google" });
    expect(match("https://vertex-proxy.example.com/v1/projects/p/locations/l/publishers/google/models/gemini-2.5-flash:generateContent", options)).toMatchObject({ provider: "google-vertex" });
    expect(match("https://gateway.example.com/other/models/gemini-2.5-flash:generateContent", options)).toBeUndefined();
    expect(match("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", { ...options, knownHosts: false })).toBeUndefined();
  });

  it("leaves everything else alone", () => {
    expect(match("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", {}, "GET")).toBeUndefined();
    expect(match("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash")).toBeUndefined();
    expect(match("https://generativelanguage.googleapis.com/v1beta/models/veo-3:predictLongRunning")).toBeUndefined();
    expect(match("https://generativelanguage.googleapis.com/v1beta/files")).toBeUndefined();
    expect(match("https://api.openai.com/v1/chat/completions")).toBeUndefined();
    expect(match("https://evil.example.com/v1beta/models/gemini-2.5-flash:generateContent")).toBeUndefined();
    expect(match("https://aiplatform.googleapis.com.evil.example/v1/publishers/google/models/gemini:generateContent")).toBeUndefined();
  });

  it("decodes a percent-encoded model and takes the provider's request id header", () => {
    const call = match("https://generativelanguage.googleapis.com/v1beta/tunedModels/my%2Dmodel:generateContent");
    expect(call!.requestedModel({})).toBe("my-model");
    expect(call!.providerRequestId(new Headers({ "x-request-id": "req_1" }))).toBe("req_1");
    expect(call!.providerRequestId(new Headers())).toBeNull();
  });
});
