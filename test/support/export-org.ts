// An organization built through raw Lago API calls (never the provider), covering what `export` must read: every
// charge model, filters, grouping keys, fixed charges, a commitment, thresholds, taxes, add-ons, coupons, a webhook
// endpoint, customers, subscriptions (one with plan overrides), applied coupons and a wallet.
// Plain HTTP (as rawHttp in local-lago.ts), without vitest, so the bench builds its organizations with it too.
import type { LocalLago } from "../../local-lago";

export const HOOK_URL = "https://hooks.example.com/lago?token=s3cr3t-t0ken";

type Server = Pick<LocalLago, "apiUrl" | "apiKey">;

/** POSTs (or PUTs) and fails loudly naming the call when Lago refuses it. */
export async function call(server: Server, method: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(server.apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const range = (from: number, to: number | null, perUnit: string, flat = "0") => ({ from_value: from, to_value: to, per_unit_amount: perUnit, flat_amount: flat });

/** Builds the organization; `customers` adds customers, subscriptions (overrides need a premium Lago), applied coupons and a wallet. */
export async function buildExportOrg(server: Server, options: { customers?: boolean; overrides?: boolean } = {}): Promise<void> {
  const post = (path: string, body: unknown) => call(server, "POST", path, body);
  await post("/taxes", { tax: { name: "VAT", code: "vat_20", rate: "20" } });
  await post("/taxes", { tax: { name: "Reduced", code: "vat_5_5", rate: "5.5", description: "Books" } });
  // Lago takes any rate (tax.rb checks presence only); the Tax kind refuses one above 100 %: not expressible.
  await post("/taxes", { tax: { name: "Legacy surcharge", code: "legacy_150", rate: "150" } });

  const metric = (code: string, aggregation: string, extra: object = {}) =>
    post("/billable_metrics", { billable_metric: { name: code.toUpperCase(), code, aggregation_type: aggregation, ...extra } });
  const mtu = await metric("mtu", "unique_count_agg", { field_name: "user_id", filters: [{ key: "region", values: ["eu", "us"] }] });
  const calls = await metric("api_calls", "count_agg", { description: "API requests" });
  const storage = await metric("storage_gb", "sum_agg", { field_name: "gb", recurring: true });
  const volume = await metric("payments", "sum_agg", { field_name: "amount", rounding_function: "round", rounding_precision: 2 });
  const seats = await metric("seats", "max_agg", { field_name: "seats" });
  const id = (m: any) => m.billable_metric.lago_id as string;

  await post("/add_ons", { add_on: { name: "Onboarding", code: "onboarding", amount_cents: 50000, amount_currency: "USD", tax_codes: ["vat_20"] } });
  const supportSeat = await post("/add_ons", { add_on: { name: "Support seat", code: "support_seat", amount_cents: 2500, amount_currency: "USD", invoice_display_name: "Support" } });

  await post("/plans", {
    plan: {
      name: "Team",
      code: "team",
      interval: "monthly",
      amount_cents: 12000,
      amount_currency: "USD",
      pay_in_advance: true,
      trial_period: 14,
      description: "For growing teams",
      metadata: { tier: "growth", owner: "pricing-team" },
      tax_codes: ["vat_20"],
      fixed_charges: [{ add_on_id: supportSeat.add_on.lago_id, code: "support", charge_model: "standard", units: 2, properties: { amount: "25" } }],
      minimum_commitment: { amount_cents: 50000, invoice_display_name: "Commitment" },
      usage_thresholds: [
        { amount_cents: 10000, threshold_display_name: "First alert" },
        { amount_cents: 50000, recurring: true },
      ],
      charges: [
        {
          billable_metric_id: id(mtu),
          code: "mtu",
          charge_model: "graduated",
          properties: { graduated_ranges: [range(0, 10000, "0"), range(10001, 25000, "0.012"), range(25001, null, "0.010", "5")] },
          filters: [{ values: { region: ["eu"] }, invoice_display_name: "MTU EU", properties: { graduated_ranges: [range(0, null, "0.015")] } }],
        },
        { billable_metric_id: id(calls), code: "calls", charge_model: "package", properties: { amount: "5", package_size: 1000, free_units: 100 }, tax_codes: ["vat_5_5"] },
        { billable_metric_id: id(calls), code: "calls_std", charge_model: "standard", properties: { amount: "0.0001", pricing_group_keys: ["workspace"] }, min_amount_cents: 500 },
        { billable_metric_id: id(storage), code: "storage", charge_model: "volume", properties: { volume_ranges: [range(0, 100, "1"), range(101, null, "0.5", "10")] }, prorated: true },
        {
          billable_metric_id: id(volume),
          code: "payments_pct",
          charge_model: "percentage",
          properties: { rate: "1.5", fixed_amount: "0.1", free_units_per_events: 5, per_transaction_min_amount: "0.05", per_transaction_max_amount: "10" },
        },
        {
          billable_metric_id: id(volume),
          code: "payments_grad_pct",
          charge_model: "graduated_percentage",
          properties: { graduated_percentage_ranges: [{ from_value: 0, to_value: 1000, rate: "2", flat_amount: "0" }, { from_value: 1001, to_value: null, rate: "1", flat_amount: "1" }] },
        },
        { billable_metric_id: id(volume), code: "payments_advance", charge_model: "standard", pay_in_advance: true, invoiceable: false, regroup_paid_fees: "invoice", properties: { amount: "10" } },
        { billable_metric_id: id(volume), code: "payments_dynamic", charge_model: "dynamic", properties: {} },
      ],
    },
  });
  await post("/plans", {
    plan: {
      name: "Free",
      code: "free",
      interval: "monthly",
      amount_cents: 0,
      amount_currency: "USD",
      pay_in_advance: false,
      charges: [{ billable_metric_id: id(mtu), charge_model: "standard", properties: { amount: "0" } }],
    },
  });
  // Invoice lines grouped by a property (presentation_group_keys): the Plan kind does not manage it, not expressible.
  await post("/plans", {
    plan: {
      name: "Grouped",
      code: "grouped",
      interval: "monthly",
      amount_cents: 500,
      amount_currency: "USD",
      pay_in_advance: false,
      charges: [{ billable_metric_id: id(calls), charge_model: "standard", properties: { amount: "0.5", presentation_group_keys: [{ value: "workspace" }] } }],
    },
  });
  await post("/plans", { plan: { name: "Enterprise", code: "enterprise", interval: "yearly", amount_cents: 1200000, amount_currency: "USD", pay_in_advance: false, bill_charges_monthly: true } });

  await post("/coupons", { coupon: { name: "Launch", code: "launch", coupon_type: "fixed_amount", amount_cents: 1000, amount_currency: "USD", frequency: "once", expiration: "no_expiration" } });
  await post("/coupons", {
    coupon: {
      name: "Team discount",
      code: "team_10",
      coupon_type: "percentage",
      percentage_rate: "10",
      frequency: "recurring",
      frequency_duration: 3,
      reusable: false,
      expiration: "time_limit",
      expiration_at: "2099-12-31T23:59:59Z",
      applies_to: { plan_codes: ["team"] },
    },
  });
  await post("/webhook_endpoints", { webhook_endpoint: { webhook_url: HOOK_URL, signature_algo: "hmac", name: "Billing hooks", event_types: ["invoice.created"] } });

  if (!options.customers) return;
  await post("/customers", {
    customer: { external_id: "acme", name: "Acme", email: "billing@acme.test", currency: "USD", country: "FR", tax_codes: ["vat_20"], metadata: [{ key: "tier", value: "gold", display_in_invoice: true }] },
  });
  await post("/customers", { customer: { external_id: "globex", name: "Globex", currency: "USD" } });
  await post("/subscriptions", { subscription: { external_id: "acme-team", external_customer_id: "acme", plan_code: "team", name: "Acme Team", subscription_at: "2026-01-01T00:00:00Z" } });
  await post("/subscriptions", {
    subscription: {
      external_id: "globex-free",
      external_customer_id: "globex",
      plan_code: "free",
      billing_time: "anniversary",
      subscription_at: "2026-02-01T00:00:00Z",
      ...(options.overrides ? { plan_overrides: { amount_cents: 900 } } : {}),
    },
  });
  await post("/wallets", {
    wallet: {
      external_customer_id: "acme",
      currency: "USD",
      rate_amount: "1",
      name: "Prepaid",
      granted_credits: "50",
      recurring_transaction_rules: [{ trigger: "interval", interval: "monthly", method: "fixed", paid_credits: "0", granted_credits: "10" }],
    },
  });
  await post("/applied_coupons", { applied_coupon: { external_customer_id: "acme", coupon_code: "launch" } });
  await post("/applied_coupons", { applied_coupon: { external_customer_id: "acme", coupon_code: "team_10", percentage_rate: "15" } });
}
