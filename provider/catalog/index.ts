// Pricing catalogs: YAML validated at the line, and the resources it declares.
export { CatalogError, loadCatalog, parseCatalog, type CatalogIssue } from "./load";
export { catalogResources, type CatalogResourceOptions, type CatalogResources } from "./resources";
export {
  catalogSchema,
  SECTIONS,
  type Catalog,
  type CatalogAddOn,
  type CatalogAppliedCoupon,
  type CatalogCoupon,
  type CatalogCustomer,
  type CatalogMetric,
  type CatalogPlan,
  type CatalogSubscription,
  type CatalogTax,
  type CatalogWallet,
  type CatalogWebhookEndpoint,
  type Section,
} from "./schema";
