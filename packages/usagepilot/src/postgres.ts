// `usagepilot/postgres`: the Postgres storage, re-exported so one install serves the DESIGN.md example.
export * from "@usagepilot/postgres";
