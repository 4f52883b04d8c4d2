// Lago's pricing math, written once as pure functions: plans and usage in, money out (no I/O).
export * from "./charge-models";
export * from "./money";
export * from "./bill";
export * from "./levels";
export * from "./invoice";
