// THE list of places where Lago's OpenAPI document and lago-api.md disagree. lago-api.md was read from
// Lago's server code, so the local Lago follows it and its answers are excused from the spec check here.
// One entry per disagreement: the operations it touches, the response fields (JSON pointers into the
// body, array indexes as `*`; none = the HTTP status itself is missing from the spec), what each source
// says, and the lago-api.md section. Keep it short and true: a room bug gets fixed, not listed.

export interface SpecDisagreement {
  /** operationIds from the spec. */
  operations: string[];
  /** Response status the entry is about (default 200). */
  status?: number;
  /** JSON pointers of the disagreeing field in the response body; absent when the status is undocumented. */
  fields?: string[];
  spec: string;
  contract: string;
  section: string;
}

const METRIC_OPS = ["createBillableMetric", "updateBillableMetric", "destroyBillableMetric", "findBillableMetric", "findAllBillableMetrics"];
const PLAN_OPS = ["createPlan", "updatePlan", "destroyPlan", "findPlan", "findAllPlans"];
const PLAN_CHARGE_OPS = ["createPlanCharge", "updatePlanCharge", "destroyPlanCharge", "findPlanCharge", "findAllPlanCharges"];
/** Each plan field at its place in single (`/plan/…`) and list (`/plans/*\/…`) responses. */
const planFields = (...fields: string[]) => fields.flatMap((f) => [`/plan/${f}`, `/plans/*/${f}`]);
/** Range bounds of every ranged charge model, in plan and charge responses. */
const RANGE_BOUNDS = ["graduated_ranges", "volume_ranges", "graduated_percentage_ranges"].flatMap((ranges) =>
  ["from_value", "to_value"].flatMap((bound) => [
    ...planFields(`charges/*/properties/${ranges}/*/${bound}`, `charges/*/filters/*/properties/${ranges}/*/${bound}`),
    `/charge/properties/${ranges}/*/${bound}`,
    `/charges/*/properties/${ranges}/*/${bound}`,
  ]),
);

const WALLET_OPS = ["createWallet", "updateWallet", "findWallet", "destroyWallet", "findAllWallets"];
/** Each wallet field in single (`/wallet/…`) and list (`/wallets/*\/…`) responses. */
const walletFields = (...fields: string[]) => fields.flatMap((f) => [`/wallet/${f}`, `/wallets/*/${f}`]);

const CUSTOMER_OPS = ["createCustomer", "findCustomer", "destroyCustomer", "findAllCustomers"];
const SUBSCRIPTION_OPS = ["createSubscription", "findSubscription", "updateSubscription", "destroySubscription", "findAllSubscriptions", "findAllCustomerSubscriptions"];
/** Each subscription field in single (`/subscription/…`) and list (`/subscriptions/*\/…`) responses. */
const subscriptionFields = (...fields: string[]) => fields.flatMap((f) => [`/subscription/${f}`, `/subscriptions/*/${f}`]);

export const disagreements: SpecDisagreement[] = [
  // The organization
  {
    operations: ["GET /organizations"],
    spec: "no operation: only PUT /organizations is documented",
    contract: "config/routes.rb serves get \"/organizations\" (organizations#show), answering the organization as PUT does, without its taxes",
    section: "§15",
  },
  // §2 Billable metrics
  {
    operations: METRIC_OPS,
    fields: ["/billable_metric/expression", "/billable_metrics/*/expression"],
    spec: "BillableMetricObject.expression is `type: string` (not nullable)",
    contract: "expression is string/null; a metric without one answers `expression: null`",
    section: "§2.2, §2.3",
  },
  {
    operations: METRIC_OPS,
    fields: ["/billable_metric/aggregation_type", "/billable_metrics/*/aggregation_type"],
    spec: "aggregation_type enum lacks custom_agg",
    contract: "custom_agg is a valid aggregation (premium / org flag)",
    section: "§2.2",
  },
  {
    operations: ["createBillableMetric"],
    status: 403,
    spec: "no 403 response",
    contract: "custom_agg without the org flag → 403 feature_unavailable",
    section: "§1.10, §2.2",
  },
  {
    operations: ["createBillableMetric", "updateBillableMetric"],
    status: 500,
    spec: "no 500 response",
    contract: "a weighted_interval other than seconds, or an unknown rounding_function, raises (500)",
    section: "§2.2",
  },
  // §3 Plans
  {
    operations: PLAN_OPS,
    fields: planFields("invoice_display_name", "description", "trial_period", "fixed_charges/*/invoice_display_name", "minimum_commitment/invoice_display_name"),
    spec: "PlanObject invoice_display_name and description are `type: string`, trial_period `type: number`; FixedChargeObject and MinimumCommitmentObject invoice_display_name are strings",
    contract: "fields a plan was created without answer null (string/null, number/null)",
    section: "§3.2, §3.5",
  },
  {
    operations: [...PLAN_OPS, ...PLAN_CHARGE_OPS],
    fields: RANGE_BOUNDS,
    spec: "range from_value / to_value are `type: integer`",
    contract: "range bounds may be decimals (e.g. 0.5); properties are echoed as sent",
    section: "§1.6, §3.4",
  },
  {
    operations: PLAN_OPS,
    fields: planFields("fixed_charges/*/units"),
    spec: "FixedChargeObject.units is `type: number`",
    contract: "units is a decimal column rendered as text (`\"100.0\"`, as Lago's own request specs expect)",
    section: "§3.2",
  },
  {
    operations: ["findAllSubscriptionFixedCharges", "findSubscriptionFixedCharge"],
    fields: ["/fixed_charges/*/units", "/fixed_charges/*/invoice_display_name", "/fixed_charge/units", "/fixed_charge/invoice_display_name"],
    spec: "FixedChargeObject.units is `type: number`, invoice_display_name `type: string`",
    contract: "a subscription's fixed charges serialize like a plan's (app/serializers/v1/fixed_charge_serializer.rb): units as decimal text, a display name never given is null",
    section: "§3.2",
  },
  {
    operations: ["createPlan", "updatePlan"],
    status: 500,
    spec: "no 500 response",
    contract: "interval: null on a plan without subscriptions raises in Lago's update service (`params[:interval].to_sym`), v1.51.0 app/services/plans/update_service.rb; a `plan` root that is present but not an object raises in params.require(:plan).permit (plans_controller.rb)",
    section: "§15",
  },
  {
    operations: ["findAllSubscriptions"],
    status: 404,
    spec: "no 404 response",
    contract: "billing_entity_codes[] naming no billing entity → 404 billing_entity_not_found (v1.51.0 app/controllers/concerns/subscription_index.rb)",
    section: "§15",
  },
  {
    operations: ["findAllSubscriptions", "findAllCustomerSubscriptions"],
    status: 500,
    spec: "no 500 response",
    contract: "billing_entity_codes sent as a scalar reaches String#count without an argument and raises (subscription_index.rb)",
    section: "§15",
  },
  {
    operations: ["findAllCustomers"],
    status: 422,
    spec: "no 422 response",
    contract: "list filters outside the contract's values → 422 with dry-validation messages (v1.51.0 app/contracts/queries/customers_query_filters_contract.rb)",
    section: "§15",
  },
  // §6 Add-ons, §7 Coupons, §9 Webhook endpoints
  {
    operations: ["createAddOn"],
    status: 404,
    spec: "no 404 response",
    contract: "an unknown tax code → 404 tax_not_found (checked after the add-on's own fields)",
    section: "§1.5, §6",
  },
  {
    operations: ["createCoupon"],
    status: 404,
    spec: "no 404 response",
    contract: "applies_to naming unknown plans or metrics → 404 plans_not_found / billable_metrics_not_found",
    section: "§7",
  },
  {
    operations: ["createCoupon", "updateCoupon"],
    status: 405,
    spec: "no 405 response",
    contract: "applies_to with both plan and metric codes → 405 only_one_limitation_type_per_coupon_allowed",
    section: "§7",
  },
  {
    operations: ["applyCoupon"],
    status: 405,
    spec: "no 405 response",
    contract: "a limited coupon whose plans or metrics overlap an active coupon of the customer → 405 plan_overlapping (Lago v1.51.0 AppliedCoupons::CreateService; not yet in lago-api.md)",
    section: "§7",
  },
  {
    operations: ["createCoupon", "updateCoupon", "applyCoupon"],
    status: 500,
    spec: "no 500 response",
    contract: "a non-text `expiration`, a percentage_rate beyond decimal(10,5), or an applied-coupon frequency outside once/recurring/forever raises (Lago v1.51.0 code; not yet in lago-api.md)",
    section: "§7",
  },
  {
    operations: ["createWebhookEndpoint", "updateWebhookEndpoint"],
    status: 500,
    spec: "no 500 response",
    contract: "a signature_algo other than jwt/hmac raises (500); so does null on update",
    section: "§9",
  },
  // §4 Customers, §5 Subscriptions, §11 Current usage
  {
    operations: CUSTOMER_OPS,
    fields: ["invoice_grace_period", "payment_provider", "payment_provider_code", "document_locale"].flatMap((f) => [
      `/customer/billing_configuration/${f}`,
      `/customers/*/billing_configuration/${f}`,
    ]),
    spec: "CustomerBillingConfiguration invoice_grace_period is `type: integer`, payment_provider, payment_provider_code and document_locale `type: string`",
    contract: "every attribute the customer was created without answers null, billing_configuration included",
    section: "§4.4",
  },
  {
    operations: CUSTOMER_OPS,
    fields: ["/customer/email", "/customers/*/email"],
    spec: "email has `format: email` (a single address)",
    contract: "email may be a comma-separated list of addresses, echoed as sent",
    section: "§4.2",
  },
  {
    operations: ["createCustomer", "findAllCustomers"],
    status: 404,
    spec: "no 404 response",
    contract: "an unknown tax code → 404 tax_not_found; an unknown billing_entity_code (or billing_entity_codes[] list filter, Lago v1.51.0 CustomersController#index) → 404 billing_entity_not_found",
    section: "§1.5, §4.2",
  },
  {
    operations: SUBSCRIPTION_OPS,
    fields: subscriptionFields("on_termination_credit_note", "cancellation_reason", "payment_method/payment_method_id"),
    spec: "on_termination_credit_note and cancellation_reason are nullable but their enums lack null; payment_method ids are `type: string`",
    contract: "on_termination_credit_note is null for plans paid in arrears, cancellation_reason null unless an activation rule failed, payment_method_id null until one is set (the type defaults to provider, v1.51.0 subscriptions schema)",
    section: "§5.6, §5.7",
  },
  {
    operations: SUBSCRIPTION_OPS,
    fields: ["invoice_display_name", "description", "trial_period", "fixed_charges/*/invoice_display_name", "fixed_charges/*/units", "minimum_commitment/invoice_display_name"].map((f) => `/subscription/plan/${f}`),
    spec: "the embedded PlanObject has the plan's non-nullable invoice_display_name, description, trial_period and fixed-charge fields",
    contract: "the embedded plan is the §3.5 plan object, with the same nulls and decimal units as GET /plans/{code}",
    section: "§3.5, §5.7",
  },
  {
    operations: ["createSubscription", "updateSubscription"],
    status: 403,
    spec: "no 403 response",
    contract: "plan_overrides without premium → 403 feature_unavailable",
    section: "§1.10, §5.2",
  },
  {
    operations: ["updateSubscription"],
    status: 405,
    spec: "no 405 response",
    contract: "an incomplete subscription → 405 subscription_incomplete",
    section: "§5.4",
  },
  {
    operations: ["findCustomerCurrentUsage"],
    status: 405,
    spec: "no 405 response",
    contract: "no active subscription → 405 no_active_subscription; full_usage without a filter → 405 full_usage_not_allowed",
    section: "§11",
  },
  {
    operations: ["findCustomerCurrentUsage"],
    fields: [
      "/customer_usage/charges_usage/*/filters/*/values",
      "/customer_usage/charges_usage/*/filters/*/invoice_display_name",
      "/customer_usage/charges_usage/*/grouped_usage/*/filters/*/values",
      "/customer_usage/charges_usage/*/grouped_usage/*/filters/*/invoice_display_name",
    ],
    spec: "a filter usage's values is an object and invoice_display_name a string",
    contract: "the slice of events no charge filter matched has no filter: values and invoice_display_name are null, at the charge's level and in each group (Lago v1.51.0 ChargeUsageSerializer; not yet in lago-api.md)",
    section: "§11",
  },
  {
    operations: ["findCustomerCurrentUsage"],
    fields: ["/customer_usage/charges_usage/*/grouped_usage/*/grouped_by/cloud"],
    spec: "a grouped_by value is a string",
    contract: "an event without the pricing group key, or a slice without events, is grouped under null (Lago v1.51.0 Events::Stores::BaseStore#build_groups and Aggregations::BaseService.null_result; not yet in lago-api.md)",
    section: "§11",
  },
  {
    operations: ["createEvent"],
    status: 422,
    fields: ["/error_details"],
    spec: "error_details is an object",
    contract: "an event its metric's expression cannot evaluate: error_details is the message 'expression_evaluation_failed: …' (Lago v1.51.0 Events::CreateService passes the service failure's message; not yet in lago-api.md)",
    section: "§10",
  },
  {
    operations: ["createBatchEvents", "createEvent", "findEvent", "findAllEvents"],
    fields: ["/events/*/properties/v", "/event/properties/v", "/events/*/properties/other", "/event/properties/other"],
    spec: "a property is a string, an integer or a number (so an integer, matching two of the three, fails the oneOf)",
    contract: "properties are any JSON object, echoed as sent (§10); booleans, null and integers included",
    section: "§10",
  },
  // Wallets (no lago-api.md section yet: Lago v1.51.0's code is the contract, §15)
  {
    operations: WALLET_OPS,
    fields: walletFields("balance"),
    spec: "WalletObject requires `balance`",
    contract: "app/serializers/v1/wallet_serializer.rb (v1.51.0) has no `balance` field, only balance_cents",
    section: "§15",
  },
  {
    operations: WALLET_OPS,
    fields: walletFields("payment_method/payment_method_id", "recurring_transaction_rules/*/payment_method/payment_method_id"),
    spec: "PaymentMethodReference.payment_method_id is a uuid string (not nullable)",
    contract: "wallet and rule serializers answer payment_method_id null when no payment method is chosen (the column is nullable)",
    section: "§15",
  },
  {
    operations: ["createWalletTransaction", "findAllWalletTransactions"],
    fields: ["/wallet_transactions/*/payment_method/payment_method_id"],
    spec: "PaymentMethodReference.payment_method_id is a uuid string (not nullable)",
    contract: "wallet_transaction_serializer.rb answers payment_method_id null when no payment method is chosen",
    section: "§15",
  },
  {
    operations: ["findAllWallets"],
    status: 404,
    spec: "GET /wallets documents no 404",
    contract: "wallets_query.rb answers 404 customer_not_found for an unknown external_customer_id, and wallet_actions.rb 404 billing_entity_not_found for an unknown billing entity code",
    section: "§15",
  },
  {
    operations: WALLET_OPS,
    fields: walletFields("recurring_transaction_rules/*/interval"),
    spec: "a recurring transaction rule's interval is one of the five intervals",
    contract: "a threshold rule is created with `interval: rule_params[:interval]`, nil when not sent (recurring_transaction_rules/create_service.rb): interval null",
    section: "§15",
  },
];
