export { startLocalLago, createApp, adminTokenFor, API_BASE, DEFAULT_MAX_BODY_BYTES } from "./server";
export type { LocalLago, LocalLagoOptions } from "./server";
export type { FaultSpec, FaultKind, LoggedRequest, ObservedExchange, ResponseObserver } from "./admin";
