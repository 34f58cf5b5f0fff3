// The public API of @usagepilot/redis: quota state shared by many instances.
export { RedisQuotaStore, type RedisQuotaStoreOptions } from "./redis-quota-store";
