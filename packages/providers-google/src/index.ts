// The public API of @usagepilot/providers-google.
export { createGoogleAdapter, type GoogleAdapterOptions, type GoogleBaseURL } from "./create-google-adapter";
export { convertGoogleUsage } from "./convert-google-usage";
export { googleCountableInput } from "./google-countable-input";
export { googleEndpoint, type GoogleEndpoint, type GoogleMethod } from "./google-endpoint";
export { knownGoogleHosts, type GoogleHost } from "./google-hosts";
export { createJsonArrayFramer, type JsonArrayFramer } from "./create-json-array-framer";
