/** Front door of the effects boundary (STYLE.md §3). */
export { EffectDispatcher, AdapterRegistry, AdapterError, EFFECTS_IN_FLIGHT_DEFAULT, type Adapter, type AdapterContext, type DispatchIntent, type EffectHost, type DispatcherOptions } from "./dispatcher.ts";
export { builtinAdapters, httpRequest, logWrite } from "./builtin.ts";
export { loadAdapters, checkAdapters, missingAdapters } from "./loader.ts";
