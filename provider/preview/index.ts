// Pricing previews for CI: what a stack change does to prices and bills, as markdown for a PR comment and as JSON.
// Everything but run.ts is pure.
export { stepsFromEvents, isDestructive, lagoKind, BILLING_KINDS, type PreviewStep, type StepOp, type StepMetadataLike } from "./steps";
export { planSide, type PlanSide } from "./plan-side";
export { pricingDiff, describeProperties, type PriceChange } from "./pricing-diff";
export { levelImpacts, subscriptionImpact, revenueChange, usageInput, type LevelImpact, type SubscriptionImpact, type SubscriptionUsage, type SubscriptionTerms, type RevenueChange, type LagoChargeUsage } from "./impact";
export { attentionItems, changedArguments, yearlyAmountCents, type AttentionItem, type LagoFacts, type PendingDowngrade, type DowngradingSubscription } from "./attention";
export { buildReport, renderJson, anonymizeId, markerFor, MARKER_PREFIX, REPORT_VERSION, type PreviewReport, type ReportInput, type StepReport, type PlanReport, type CustomersReport } from "./report";
export { renderMarkdown, MAX_MARKDOWN_CHARS, COLLAPSE_ROWS } from "./markdown";
export { evaluateGates, EXIT_CODES, type GateOptions, type GateResult } from "./gates";
export { runPricingPreview, type PricingPreviewOptions, type PricingPreviewResult } from "./run";
