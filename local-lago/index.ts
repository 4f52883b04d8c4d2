export { startLocalLago, createApp, API_BASE } from "./server";
export type { LocalLago, LocalLagoOptions } from "./server";
export type { FaultSpec, FaultKind, LoggedRequest } from "./admin";
