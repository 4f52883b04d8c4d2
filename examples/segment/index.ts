// The Segment Free/Team example as a Pulumi program: the pricing comes from catalog.yaml (reviewed as data), the
// customer and its subscription are declared here in code, and the outputs hand over ready-to-paste event
// templates, so usage sent from Segment, Hightouch or Nexla lands on the subscription this stack created.
import * as path from "node:path";
import { catalogResources, loadCatalog, type Catalog } from "../../provider/catalog";
import { templatesByMetric } from "../../provider/integrations";
import { AppliedCoupon } from "../../provider/resources/applied-coupon";
import { Coupon } from "../../provider/resources/coupon";
import { Customer } from "../../provider/resources/customer";
import { Subscription } from "../../provider/resources/subscription";
import { Tax } from "../../provider/resources/tax";

export const CATALOG_PATH = path.join(__dirname, "catalog.yaml");

/** Who the example bills. */
export const ACME = { externalId: "acme", name: "Acme Inc", currency: "USD" } as const;
/** The sales tax Acme pays: as a customer tax, Lago applies it to every fee of Acme's invoices. */
export const SALES_TAX = { code: "us-sales-tax", name: "US sales tax", rate: "8.5" } as const;
/** The welcome offer Acme signed with: 20.00 USD off each of its first three invoices, taken before tax. */
export const WELCOME_COUPON = {
  code: "welcome-20",
  name: "Welcome offer",
  couponType: "fixed_amount",
  amountCents: 2000,
  amountCurrency: "USD",
  frequency: "recurring",
  frequencyDuration: 3,
} as const;
/** Acme's subscription to Team; usage events name it. */
export const ACME_SUBSCRIPTION = { externalId: "acme-main", planCode: "team" } as const;

export interface SegmentProgramOptions {
  /** Default: catalog.yaml beside this file. */
  catalogPath?: string;
}

/** The program for the Automation API (`offlineStack({ program: segmentProgram() })`) and for pulumi-main.js. */
export function segmentProgram(options: SegmentProgramOptions = {}): () => Promise<Record<string, unknown>> {
  return async () => {
    const catalog: Catalog = loadCatalog(options.catalogPath ?? CATALOG_PATH);
    const { metrics, plans } = catalogResources(catalog);
    const plan = plans[ACME_SUBSCRIPTION.planCode];
    if (!plan) throw new Error(`catalog has no plan "${ACME_SUBSCRIPTION.planCode}" for Acme's subscription`);

    const salesTax = new Tax("tax-us-sales-tax", { ...SALES_TAX });
    const welcome = new Coupon("coupon-welcome-20", { ...WELCOME_COUPON });
    const acme = new Customer("customer-acme", { externalId: ACME.externalId, name: ACME.name, currency: ACME.currency, taxCodes: [salesTax.code] });
    new AppliedCoupon("applied-coupon-acme-welcome-20", { customer: acme, coupon: welcome });
    const subscription = new Subscription("subscription-acme-main", {
      externalId: ACME_SUBSCRIPTION.externalId,
      customer: acme,
      plan,
      name: "Acme on Team",
    });

    return {
      salesTax: salesTax.code,
      welcomeCoupon: welcome.code,
      metrics: Object.fromEntries(Object.entries(metrics).map(([code, m]) => [code, m.lagoId])),
      plans: Object.fromEntries(Object.entries(plans).map(([code, p]) => [code, p.lagoId])),
      acme: {
        customerId: acme.lagoId,
        externalCustomerId: acme.externalId,
        subscriptionId: subscription.lagoId,
        externalSubscriptionId: subscription.externalId,
        planCode: subscription.currentPlanCode,
        status: subscription.status,
      },
      // Per metric: the Segment function source, the Hightouch body and an event record for Nexla or the API.
      eventTemplates: templatesByMetric(catalog.metrics, { externalSubscriptionId: ACME_SUBSCRIPTION.externalId }),
    };
  };
}
