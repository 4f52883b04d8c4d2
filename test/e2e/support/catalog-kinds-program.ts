// The stack the catalog-kinds e2e drives: one of each kind added by issue #11, edited between operations through
// `desired`, as a user edits their code. Each kind has its own knobs; a kind left `undefined` is not declared.
import { AddOn, AppliedCoupon, Coupon, Organization, Tax, Wallet, WebhookEndpoint } from "../../../provider";

export interface TaxKnobs {
  rate: string;
  name: string;
  allowDestroy?: boolean;
}

export interface AddOnKnobs {
  amountCents: number;
  /** Charged with the stack's tax (its code passed from the Tax resource). */
  taxed: boolean;
  allowDestroy?: boolean;
}

export interface CouponKnobs {
  amountCents: number;
  name: string;
  allowDestroy?: boolean;
}

/** The stack's webhook endpoint: its URL carries a token, as such URLs often do. */
export const HOOK_URL = "https://billing.example.com/lago?token=hook-t0k3n";

/** The stack's wallet for customer "acme": 50 credits granted at creation, a monthly top-up of 20 paid credits. */
export interface WalletKnobs {
  name: string;
  interval: "weekly" | "monthly" | "quarterly" | "semiannual" | "yearly";
  allowDestroy?: boolean;
}

export interface CatalogKindsDesired {
  wallet?: WalletKnobs;
  /** Customer "initech"'s wallet made in Lago outside the stack, taken over with adopt: true once declared. */
  adoptedWallet?: { name: string };
  /** The organization's settings; `twice` declares it a second time (an error). */
  organization?: { netPaymentTerm: number; allowDestroy?: boolean; twice?: boolean };
  webhook?: { eventTypes: string[]; allowDestroy?: boolean };
  /** An endpoint made in Lago outside the stack, taken over with adopt: true once declared. */
  adoptedWebhook?: { url: string };
  /** The stack's coupon applied to customer "acme" (made outside the stack); needs `coupon`. */
  appliedCoupon?: { allowDestroy?: boolean };
  /** Coupon "welcome" applied to "acme" outside the stack, taken over with adopt: true once declared. */
  adoptedAppliedCoupon?: boolean;
  /** The stack's coupon (code "launch": 10.00 off for 3 periods). */
  coupon?: CouponKnobs;
  /** A coupon made in Lago outside the stack, taken over with adopt: true once declared. */
  adoptedCoupon?: { amountCents: number };
  /** The stack's add-on (code "onboarding"). */
  addOn?: AddOnKnobs;
  /** An add-on made in Lago outside the stack, taken over with adopt: true once declared. */
  adoptedAddOn?: { amountCents: number };
  /** The stack's tax (code "vat"); absent = removed from the program. */
  tax?: TaxKnobs;
  /** A tax made in Lago outside the stack, taken over with adopt: true once declared. */
  adoptedTax?: { rate: string };
}

export function catalogKindsProgram(desired: CatalogKindsDesired) {
  return async () => {
    const out: Record<string, unknown> = {};
    if (desired.organization) {
      const { netPaymentTerm, allowDestroy, twice } = desired.organization;
      const settings = { netPaymentTerm, invoiceFooter: "Thank you for your business", documentNumberPrefix: "CAT", ...(allowDestroy ? { allowDestroy } : {}) };
      new Organization("org", settings);
      if (twice) new Organization("org-again", settings);
    }
    let vat: Tax | undefined;
    if (desired.tax) {
      const { rate, name, allowDestroy } = desired.tax;
      vat = new Tax("vat", { name, code: "vat", rate, description: "Standard VAT", ...(allowDestroy ? { allowDestroy } : {}) });
      out.taxId = vat.lagoId;
    }
    if (desired.addOn) {
      const { amountCents, taxed, allowDestroy } = desired.addOn;
      const taxCodes = taxed && vat ? { taxCodes: [vat.code] } : {};
      const onboarding = new AddOn("onboarding", { name: "Onboarding", code: "onboarding", amountCents, amountCurrency: "USD", ...taxCodes, ...(allowDestroy ? { allowDestroy } : {}) });
      out.addOnId = onboarding.lagoId;
    }
    if (desired.coupon) {
      const { amountCents, name, allowDestroy } = desired.coupon;
      const launch = new Coupon("launch", {
        name, code: "launch", couponType: "fixed_amount", amountCents, amountCurrency: "USD", frequency: "recurring", frequencyDuration: 3, ...(allowDestroy ? { allowDestroy } : {}),
      });
      out.couponId = launch.lagoId;
      if (desired.appliedCoupon) {
        const guard = desired.appliedCoupon.allowDestroy ? { allowDestroy: true } : {};
        const acmeLaunch = new AppliedCoupon("acme-launch", { externalCustomerId: "acme", coupon: launch, ...guard });
        out.appliedCouponStatus = acmeLaunch.status;
      }
    }
    if (desired.adoptedCoupon)
      new Coupon("welcome", { name: "Welcome", code: "welcome", couponType: "fixed_amount", amountCents: desired.adoptedCoupon.amountCents, amountCurrency: "USD", frequency: "once", adopt: true });
    if (desired.adoptedAppliedCoupon) new AppliedCoupon("acme-welcome", { externalCustomerId: "acme", couponCode: "welcome", adopt: true });
    if (desired.webhook) {
      const { eventTypes, allowDestroy } = desired.webhook;
      const hook = new WebhookEndpoint("billing-hook", { webhookUrl: HOOK_URL, signatureAlgo: "hmac", eventTypes, ...(allowDestroy ? { allowDestroy } : {}) });
      out.webhookUrl = hook.webhookUrl;
    }
    if (desired.adoptedWebhook) new WebhookEndpoint("crm-hook", { webhookUrl: desired.adoptedWebhook.url, adopt: true });
    if (desired.adoptedAddOn) new AddOn("training", { name: "Training", code: "training", amountCents: desired.adoptedAddOn.amountCents, amountCurrency: "USD", adopt: true });
    if (desired.wallet) {
      const { name, interval, allowDestroy } = desired.wallet;
      const prepaid = new Wallet("acme-prepaid", {
        externalCustomerId: "acme", currency: "USD", rateAmount: "1", name, grantedCredits: "50",
        recurringTransactionRules: [{ trigger: "interval", interval, paidCredits: "20" }], ...(allowDestroy ? { allowDestroy } : {}),
      });
      out.walletBalanceCents = prepaid.balanceCents;
    }
    if (desired.adoptedWallet) new Wallet("initech-credit", { externalCustomerId: "initech", currency: "USD", rateAmount: "1", name: desired.adoptedWallet.name, adopt: true });
    if (desired.adoptedTax) new Tax("reduced", { name: "Reduced VAT", code: "vat_reduced", rate: desired.adoptedTax.rate, adopt: true });
    return out;
  };
}
