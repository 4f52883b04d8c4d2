// Lago calls typed by Lago's contract (lago/wire-types.ts, from Lago's OpenAPI spec) instead of the client's own
// generated types, which lag behind Lago (no null to clear a rounding function, no custom_agg …). The call still goes
// through lago-javascript-client (its request, auth and our retrying fetch); only the types come from the contract,
// so a kind's wire body is checked field by field against what Lago accepts.
import type { components, operations } from "../lago/wire-types";
import type { LagoClient } from "./client";

type Spec = components["schemas"];

// Where Lago's code disagrees with its spec, Lago's code wins; each correction names the Lago file.
// app/models/billable_metric.rb AGGREGATION_TYPES holds custom_agg, which the spec leaves out.
type AggregationType = Spec["BillableMetricObject"]["aggregation_type"] | "custom_agg";
type MetricObject = Omit<Spec["BillableMetricObject"], "aggregation_type"> & { aggregation_type: AggregationType };
type MetricInput = Omit<Spec["BillableMetricBaseInput"], "aggregation_type"> & { aggregation_type?: AggregationType };

// app/models/customer.rb PAYMENT_PROVIDERS holds six providers where the spec lists three, and payment_provider: null
// unlinks the customer (app/services/customers/upsert_from_api_service.rb); Stripe's methods are those of
// app/models/payment_provider_customers/stripe_customer.rb PAYMENT_METHODS.
type PaymentProvider = "stripe" | "gocardless" | "cashfree" | "adyen" | "flutterwave" | "moneyhash";
type StripePaymentMethod = "card" | "sepa_debit" | "us_bank_account" | "bacs_debit" | "link" | "boleto" | "crypto" | "customer_balance";
type CustomerBillingProvider = {
  payment_provider?: PaymentProvider | null;
  payment_provider_code?: string | null;
  provider_customer_id?: string | null;
  provider_payment_methods?: StripePaymentMethod[] | null;
};
// app/controllers/api/v1/customers_controller.rb create_params and app/serializers/v1/customer_serializer.rb carry
// external_salesforce_id, which the spec leaves out.
type CustomerObject = Spec["CustomerObjectExtended"] & { external_salesforce_id?: string | null };
// Its billing_configuration members are each optional, and null clears the grace period and the locale
// (app/services/customers/update_service.rb, app/models/customer.rb).
type CustomerBillingInput = Partial<Omit<Spec["CustomerBillingConfiguration"], "invoice_grace_period" | "document_locale" | keyof CustomerBillingProvider>> &
  CustomerBillingProvider & {
    invoice_grace_period?: number | null;
    document_locale?: string | null;
  };
type CustomerInput = Omit<Spec["CustomerCreateInput"]["customer"], "billing_configuration"> & {
  external_salesforce_id?: string | null;
  billing_configuration?: CustomerBillingInput;
};

// app/controllers/api/v1/subscriptions_controller.rb permits consolidate_invoice without requiring it, and ending_at
// null (no end) on create and update alike.
// Its plan_overrides.minimum_commitment may be {} (app/services/plans/update_service.rb deletes the commitment of a
// subscription's overridden plan on a blank one).
// Its plan_overrides also take fixed_charges by id (permitted there; the spec leaves them out): units, properties,
// display name and taxes (app/services/fixed_charges/override_service.rb).
type PlanOverrides = Omit<Spec["PlanOverridesObject"], "minimum_commitment"> & {
  minimum_commitment?: Partial<NonNullable<Spec["MinimumCommitmentInput"]>>;
  fixed_charges?: Array<{ id?: string; invoice_display_name?: string | null; units?: string; apply_units_immediately?: boolean; properties?: Record<string, unknown>; tax_codes?: string[] }>;
};
type SubscriptionCreate = Omit<Spec["SubscriptionCreateInput"]["subscription"], "consolidate_invoice" | "ending_at" | "plan_overrides"> & {
  consolidate_invoice?: boolean;
  ending_at?: string | null;
  plan_overrides?: PlanOverrides;
};
type SubscriptionUpdate = Omit<Spec["SubscriptionUpdateInput"]["subscription"], "ending_at" | "plan_overrides"> & { ending_at?: string | null; plan_overrides?: PlanOverrides };
// app/controllers/api/v1/subscriptions_controller.rb answers create, show and update with the plan billed (the
// subscription's overridden child plan, app/serializers/v1/subscription_serializer.rb), the same plan object as GET /plans.
type SubscriptionWithPlan = Spec["SubscriptionObject"] & { plan?: PlanObject };

// Plans. app/serializers/v1/plan_serializer.rb answers pending_deletion. app/services/plans/update_service.rb deletes
// the commitment on an empty minimum_commitment ({}), so a body may send one without amount_cents. The provider sends
// graduated_percentage ranges with fixed_amount, which Lago stores with the range (the spec's range leaves it out).
type ChargeProperties = Omit<Spec["ChargeProperties"], "graduated_percentage_ranges"> & {
  graduated_percentage_ranges?: Array<NonNullable<Spec["ChargeProperties"]["graduated_percentage_ranges"]>[number] & { fixed_amount?: string }>;
};
type PlanInput = Spec["PlanCreateInput"]["plan"];
type PlanCharge = Omit<NonNullable<PlanInput["charges"]>[number], "properties" | "filters" | "invoice_display_name"> & {
  /** A kept charge: Lago updates it in place (app/services/plans/update_service.rb). */
  id?: string;
  invoice_display_name?: string | null;
  properties?: ChargeProperties;
  filters?: Array<Omit<Spec["ChargeFilterInput"], "properties"> & { properties: ChargeProperties }>;
};
// A plan's fixed charges (app/controllers/api/v1/plans_controller.rb permits id, code, invoice_display_name, units,
// add_on_id, apply_units_immediately, charge_model, pay_in_advance, prorated, properties, tax_codes): a kept one goes
// with its id (app/services/plans/update_service.rb), units may be decimal text (a decimal(30,10) column, which
// app/serializers/v1/fixed_charge_serializer.rb answers as text, "3.0"), and a display name is cleared with null.
type PlanFixedCharge = Omit<NonNullable<Spec["PlanUpdateInput"]["plan"]["fixed_charges"]>[number], "units" | "invoice_display_name"> & {
  units: string | number;
  invoice_display_name?: string | null;
};
type FixedChargeObject = Omit<Spec["FixedChargeObject"], "units" | "invoice_display_name"> & { units: string; invoice_display_name: string | null };
type PlanBody = Partial<Omit<PlanInput, "charges" | "minimum_commitment" | "fixed_charges">> & {
  charges?: PlanCharge[];
  fixed_charges?: PlanFixedCharge[];
  minimum_commitment?: Partial<Omit<NonNullable<Spec["MinimumCommitmentInput"]>, "invoice_display_name">> & { invoice_display_name?: string | null };
};
// The same serializer answers the plan's nullable columns (invoice_display_name, description, trial_period) as null,
// and parent_id: the plan a subscription's overridden plan was copied from.
type PlanObject = Omit<Spec["PlanObject"], "invoice_display_name" | "description" | "trial_period" | "fixed_charges"> & {
  pending_deletion?: boolean;
  parent_id?: string | null;
  invoice_display_name?: string | null;
  description?: string | null;
  trial_period?: number | null;
  fixed_charges?: FixedChargeObject[];
};

// The organization: app/serializers/v1/organization_serializer.rb answers email_settings, and Organization::EMAIL_SETTINGS
// holds payment_receipt.created too; config/routes.rb serves GET /organizations, which the spec leaves out.
type OrganizationObject = Omit<Spec["OrganizationObject"], "billing_configuration"> & {
  email_settings?: string[];
  billing_configuration: { invoice_footer?: string | null; invoice_grace_period?: number | null; document_locale?: string | null };
};
type OrganizationInput = Omit<Spec["OrganizationUpdateInput"]["organization"], "email_settings" | "billing_configuration"> & {
  email_settings?: string[];
  billing_configuration?: { invoice_footer?: string | null; invoice_grace_period?: number | null; document_locale?: string | null };
};

interface Corrected {
  OrganizationObject: OrganizationObject;
  OrganizationInput: OrganizationInput;
  PlanObject: PlanObject;
  PlanBody: PlanBody;
  ChargeProperties: ChargeProperties;
  SubscriptionCreate: SubscriptionCreate;
  SubscriptionUpdate: SubscriptionUpdate;
  PlanOverridesObject: PlanOverrides;
  SubscriptionObjectExtended: SubscriptionWithPlan;
  BillableMetricObject: MetricObject;
  BillableMetricBaseInput: MetricInput;
  CustomerObjectExtended: CustomerObject;
  CustomerInput: CustomerInput;
}

// Currencies, countries and time zones: Lago checks them against its own lists, which are not the spec's enums (it
// accepts BHD, IRR, JOD and KWD, lago/currencies.ts); the provider checks them at preview, so on the wire they are text.
type CodeList = NonNullable<Spec["Currency"] | Spec["CurrencyOrNull"] | Spec["Country"] | Spec["CountryOrNull"] | Spec["Timezone"] | Spec["TimezoneOrNull"]>;
type Widened<T> = [NonNullable<T>] extends [never]
  ? T
  : [NonNullable<T>] extends [CodeList]
    ? string | Exclude<T, NonNullable<T>>
    : T extends ReadonlyArray<infer E>
      ? Array<Widened<E>>
      : T extends object
        ? { [K in keyof T]: Widened<T[K]> }
        : T;

/** Lago's schemas by name, as Lago's code has them: `Wire["PlanObject"]`, `Wire["TaxBaseInput"]` … */
export type Wire = { [K in keyof Spec | keyof Corrected]: Widened<K extends keyof Corrected ? Corrected[K] : K extends keyof Spec ? Spec[K] : never> };

/** Operations whose body or answer carries a corrected schema. */
interface CorrectedOperations {
  findBillableMetric: { answer: { billable_metric: MetricObject } };
  findAllBillableMetrics: { answer: Omit<Spec["BillableMetricsPaginated"], "billable_metrics"> & { billable_metrics: MetricObject[] } };
  createBillableMetric: { body: { billable_metric: MetricInput }; answer: { billable_metric: MetricObject } };
  updateBillableMetric: { body: { billable_metric: MetricInput }; answer: { billable_metric: MetricObject } };
  createSubscription: { body: Omit<Spec["SubscriptionCreateInput"], "subscription"> & { subscription: SubscriptionCreate }; answer: { subscription: SubscriptionWithPlan } };
  updateSubscription: { body: Omit<Spec["SubscriptionUpdateInput"], "subscription"> & { subscription: SubscriptionUpdate }; answer: { subscription: SubscriptionWithPlan } };
  findSubscription: { answer: { subscription: SubscriptionWithPlan } };
  findPlan: { answer: { plan: PlanObject } };
  findAllPlans: { answer: Omit<Spec["PlansPaginated"], "plans"> & { plans: PlanObject[] } };
  createPlan: { body: { plan: PlanBody }; answer: { plan: PlanObject } };
  updatePlan: { body: { plan: PlanBody }; answer: { plan: PlanObject } };
  findCustomer: { answer: { customer: CustomerObject } };
  updateOrganization: { body: { organization: OrganizationInput }; answer: { organization: OrganizationObject } };
  createCustomer: { body: { customer: CustomerInput }; answer: { customer: CustomerObject } };
}

/** Routes Lago's code serves that its spec leaves out. */
interface ExtraOperations {
  findOrganization: { answer: { organization: OrganizationObject } };
}

type Operation = keyof operations | keyof ExtraOperations;

/** The JSON body an operation takes (never when it takes none). */
export type BodyOf<Op extends Operation> = Widened<RawBodyOf<Op>>;
type RawBodyOf<Op extends Operation> = Op extends keyof CorrectedOperations
  ? CorrectedOperations[Op] extends { body: infer B }
    ? B
    : SpecBodyOf<Op>
  : Op extends keyof operations
    ? SpecBodyOf<Op>
    : never;

/** The JSON an operation answers on success. */
export type AnswerOf<Op extends Operation> = Widened<RawAnswerOf<Op>>;
type RawAnswerOf<Op extends Operation> = Op extends keyof ExtraOperations
  ? ExtraOperations[Op]["answer"]
  : Op extends keyof CorrectedOperations
    ? CorrectedOperations[Op] extends { answer: infer A }
      ? A
      : SpecAnswerOf<Op>
    : Op extends keyof operations
      ? SpecAnswerOf<Op>
      : never;

type SpecBodyOf<Op extends keyof operations> = operations[Op] extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : operations[Op] extends { requestBody?: { content: { "application/json": infer B } } }
    ? B
    : never;

type SpecAnswerOf<Op extends keyof operations> = operations[Op]["responses"] extends { 200: { content: { "application/json": infer R } } }
  ? R
  : operations[Op]["responses"] extends { 201: { content: { "application/json": infer R } } }
    ? R
    : unknown;

type QueryOf<Op extends Operation> = Op extends keyof operations ? (operations[Op]["parameters"] extends { query?: infer Q } ? Q : never) : never;

export interface LagoRequest<Op extends Operation> {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Below the API root, segments already encoded (use `segment`). */
  path: string;
  query?: QueryOf<Op>;
  body?: BodyOf<Op>;
}

/** A path segment (a code or an external id) as Lago expects it in a URL. */
export const segment = (value: string): string => encodeURIComponent(value);

/** Performs operation `op` of Lago's contract; throws as the client's own methods do (the failed response). */
export async function send<Op extends Operation>(client: LagoClient, op: Op, request: LagoRequest<Op>): Promise<AnswerOf<Op>> {
  void op; // names the operation whose types apply
  const { ContentType } = require("lago-javascript-client") as typeof import("lago-javascript-client");
  const { data } = await client.request<AnswerOf<Op>>({
    path: request.path,
    method: request.method,
    query: request.query as Record<string, unknown> | undefined,
    body: request.body,
    secure: true,
    type: ContentType.Json,
    format: "json",
  });
  return data;
}
