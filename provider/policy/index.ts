// Pricing policies as CI gates: a YAML file of rules (schema.ts, load.ts) and one pure evaluation (rules.ts).
export { policySchema, type Policy } from "./schema";
export { loadPolicy, parsePolicy, PolicyFileError } from "./load";
export { evaluatePolicy, type PolicyBill, type PolicyDeletion, type PolicyInput, type PolicyPlan, type PolicyRule, type PolicyViolation } from "./rules";
