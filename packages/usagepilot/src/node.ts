// `usagepilot/node`: the Node.js extras (the durable spool, shutdown on signals), re-exported.
export * from "@usagepilot/node";
