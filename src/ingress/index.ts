/** Front door of the HTTP ingress (STYLE.md §3). */
export { buildServer, type ServerOptions } from "./server.ts";
export { Metrics } from "./metrics.ts";
