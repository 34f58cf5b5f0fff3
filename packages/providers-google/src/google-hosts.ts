/** A host that serves the Gemini API or Vertex AI, and the provider name its events carry. */
export interface GoogleHost {
  /** Whether a hostname belongs to it. */
  hostname(hostname: string): boolean;
  /** "google" (Gemini API) or "google-vertex" (Vertex AI). */
  provider: string;
}

/**
 * The hosts claimed without configuration: the Gemini API (`generativelanguage.googleapis.com`) as
 * "google", and Vertex AI's regional (`{region}-aiplatform.googleapis.com`) and global
 * (`aiplatform.googleapis.com`) endpoints as "google-vertex".
 */
export const knownGoogleHosts: readonly GoogleHost[] = [
  { hostname: (hostname) => hostname === "generativelanguage.googleapis.com", provider: "google" },
  { hostname: (hostname) => hostname === "aiplatform.googleapis.com" || hostname.endsWith("-aiplatform.googleapis.com"), provider: "google-vertex" },
];
