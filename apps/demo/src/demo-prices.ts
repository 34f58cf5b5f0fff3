import { createPriceTable } from "usagepilot";

/** List prices (USD per million tokens) of the models the demo calls, as published by OpenAI. */
export const demoPrices = createPriceTable({
  source: "demo-list-prices",
  models: {
    "gpt-4o-mini": { input: "0.15", cachedInput: "0.075", output: "0.60" },
    "gpt-4.1-nano": { input: "0.10", cachedInput: "0.025", output: "0.40" },
    "o3-mini": { input: "1.10", cachedInput: "0.55", output: "4.40" },
  },
});
