export { PostgresStorage, type PostgresStorageOptions, type TenantUsageReader } from "./postgres-storage";
export { partitionName, monthStart } from "./monthly-partitions";
export { idempotentInsertStatement } from "./write-events";
export { eventColumns, toEventRow, type EventRow } from "./event-columns";
export type { PostgresSqlClient, PostgresSqlQuery } from "./create-sql-client";
