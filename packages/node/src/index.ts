// Node.js extras for UsagePilot: `@usagepilot/node`.
export { createFileSpool, type FileSpoolOptions } from "./create-file-spool";
export { handleShutdownSignals, type ShutdownSignalOptions, type ShutdownTarget } from "./handle-shutdown-signals";
export { readSpoolSegment, type SegmentContents } from "./read-spool-segment";
export { SpoolLockedError } from "./spool-locked-error";
