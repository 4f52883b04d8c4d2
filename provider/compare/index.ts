// `pulumi-lago compare`: how two Lago organizations (or an organization and an exported catalog) differ.
export { compareOrgs, deepDifferences, displayKey, showValue, type CompareSide, type Comparison, type FieldDifference, type OnlyOnOneSide, type PriceDifference, type SideName } from "./compare";
export { catalogSide } from "./catalog-side";
export { renderJson, renderMarkdown, renderText, summaryLine } from "./render";
