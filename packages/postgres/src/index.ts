export { PostgresStorage, type PostgresStorageOptions } from "./postgres-storage";
export { partitionName, monthStart } from "./monthly-partitions";
export { idempotentInsertStatement } from "./write-events";
export { eventColumns, toEventRow, type EventRow } from "./event-columns";
