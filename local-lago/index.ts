export { startLocalLago, createApp, API_BASE } from "./server";
export type { LocalLago, LocalLagoOptions } from "./server";
export type { FaultSpec, FaultKind, LoggedRequest, ObservedExchange, ResponseObserver } from "./admin";
