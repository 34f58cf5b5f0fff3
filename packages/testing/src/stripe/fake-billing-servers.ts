// The fake billing providers (Stripe, Chargebee) and their fault model, gathered for the package index.
export { createFakeStripeServer, type CreateFakeStripeServerOptions, type FakeStripeMeter, type FakeStripeMeterEvent, type FakeStripeServer } from "./create-fake-stripe-server";
export {
  createChargebeeRedirectClient,
  createFakeChargebeeServer,
  fakeChargebeeHostSuffix,
  type ChargebeeHttpClientLike,
  type CreateFakeChargebeeServerOptions,
  type FakeChargebeeFeature,
  type FakeChargebeeServer,
  type FakeChargebeeUsageEvent,
} from "../chargebee/create-fake-chargebee-server";
export type { BillingFault, BillingFaultKind, BillingFaultPlan } from "./billing-fault";
