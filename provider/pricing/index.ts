// Lago's pricing math, written once: the provider's preview and the local Lago both price with it.
export * from "./charge-models";
export * from "./money";
export * from "./bill";
