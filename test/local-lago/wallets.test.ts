// Wallets and wallet transactions, as Lago v1.51.0 serves them: app/controllers/api/v1/wallets_controller.rb
// (concerns/wallet_actions.rb), app/services/wallets/*, app/services/wallet_transactions/*, and the serializers
// v1/wallet_serializer.rb, v1/wallets/recurring_transaction_rule_serializer.rb, v1/wallet_transaction_serializer.rb.
// Request behaviour follows spec/support/shared_examples/wallet_actions.rb where Lago tests it.
import { describe, expect, it } from "vitest";
import { useLocalLago } from "../support/local-lago";
import { notFound, unprocessable } from "../support/lago-errors";

const lago = useLocalLago({ resetEach: true });

const FUTURE = "2099-06-30T12:00:00Z";
const outcome = (res: { status: number; body: unknown }) => ({ status: res.status, body: res.body });
const createWallet = (wallet: Record<string, unknown>) => lago.http("POST", "/wallets", { wallet });
const updateWallet = (id: string, wallet: Record<string, unknown>) => lago.http("PUT", `/wallets/${id}`, { wallet });
const topUp = (wallet_transaction: Record<string, unknown>) => lago.http("POST", "/wallet_transactions", { wallet_transaction });
const getWallet = async (id: string) => (await lago.http("GET", `/wallets/${id}`)).body.wallet;
const transactionsOf = async (id: string, query = "") => (await lago.http("GET", `/wallets/${id}/wallet_transactions${query}`)).body;

async function customer(external_id: string, currency?: string) {
  const res = await lago.http("POST", "/customers", { customer: { external_id, name: external_id, ...(currency ? { currency } : {}) } });
  expect(res.status).toBe(200);
  return res.body.customer as { lago_id: string; currency: string | null };
}

async function wallet(fields: Record<string, unknown> = {}) {
  const res = await createWallet({ external_customer_id: "acme", rate_amount: "1", currency: "USD", name: "Prepaid", ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.wallet;
}

describe("POST /wallets (wallets/create_service.rb, validate_service.rb)", () => {
  it("creates a wallet through the real client: every serializer field, balances zero until the top-up job has run", async () => {
    const acme = await customer("acme", "USD");
    const { status, data } = await lago.client.wallets.createWallet({
      wallet: { external_customer_id: "acme", rate_amount: "1.5", currency: "USD", name: "Prepaid credits", expiration_at: FUTURE, granted_credits: "10" },
    } as never);
    expect(status).toBe(200);
    expect(data.wallet).toEqual({
      lago_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      lago_customer_id: acme.lago_id,
      external_customer_id: "acme",
      billing_entity_code: "default",
      status: "active",
      currency: "USD",
      name: "Prepaid credits",
      code: "prepaid_credits",
      rate_amount: "1.5",
      credits_balance: "0.0",
      credits_ongoing_balance: "0.0",
      credits_ongoing_usage_balance: "0.0",
      balance_cents: 0,
      ongoing_balance_cents: 0,
      ongoing_usage_balance_cents: 0,
      consumed_credits: "0.0",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      expiration_at: FUTURE,
      last_balance_sync_at: null,
      last_consumed_credit_at: null,
      terminated_at: null,
      invoice_requires_successful_payment: false,
      paid_top_up_min_amount_cents: null,
      paid_top_up_max_amount_cents: null,
      priority: 50,
      recurring_transaction_rules: [],
      applies_to: { fee_types: [], billable_metric_codes: [] },
      applied_invoice_custom_sections: [],
      payment_method: { payment_method_id: null, payment_method_type: "provider" },
    });
    // The job has run by the next request: 10 granted credits at 1.5 are 15.00 USD.
    expect(await getWallet(data.wallet.lago_id)).toMatchObject({
      credits_balance: "10.0",
      balance_cents: 1500,
      credits_ongoing_balance: "10.0",
      ongoing_balance_cents: 1500,
      last_balance_sync_at: expect.stringMatching(/Z$/),
    });
  });

  it("granted credits settle at once; paid credits stay pending (purchased) until their invoice is paid", async () => {
    await customer("acme", "USD");
    const w = await wallet({ paid_credits: "20", granted_credits: "5", transaction_metadata: [{ key: "source", value: "signup" }], transaction_name: "Welcome" });
    const { wallet_transactions: rows, meta } = await transactionsOf(w.lago_id);
    expect(meta).toEqual({ current_page: 1, next_page: null, prev_page: null, total_pages: 1, total_count: 2 });
    const byKind = Object.fromEntries(rows.map((r: { transaction_status: string }) => [r.transaction_status, r]));
    expect(byKind.purchased).toMatchObject({ status: "pending", transaction_type: "inbound", source: "manual", amount: "20.0", credit_amount: "20.0", settled_at: null, remaining_amount_cents: null, remaining_credit_amount: null, name: "Welcome", metadata: [{ key: "source", value: "signup" }], priority: 50 });
    expect(byKind.granted).toMatchObject({ status: "settled", amount: "5.0", credit_amount: "5.0", remaining_amount_cents: 500, remaining_credit_amount: "5.0", settled_at: expect.stringMatching(/Z$/), lago_invoice_id: null });
    expect(await getWallet(w.lago_id)).toMatchObject({ credits_balance: "5.0", balance_cents: 500 });
  });

  it("answers customer_not_found as a validation error (wallets_controller_spec.rb)", async () => {
    expect(outcome(await createWallet({ rate_amount: "1", currency: "USD" }))).toEqual(unprocessable({ customer: ["customer_not_found"] }));
  });

  it("collects the validation service's problems at once; credits must be decimal text", async () => {
    await customer("acme", "USD");
    const res = await createWallet({ external_customer_id: "acme", rate_amount: "1", paid_credits: 10, granted_credits: "-1", expiration_at: "2001-01-01", transaction_metadata: {} });
    expect(outcome(res)).toEqual(
      unprocessable({
        paid_credits: ["invalid_paid_credits", "invalid_amount"],
        granted_credits: ["invalid_granted_credits", "invalid_amount"],
        expiration_at: ["invalid_date"],
        metadata: ["invalid_type"],
      }),
    );
  });

  it("checks the model: rate_amount above zero, a currency known to Lago", async () => {
    await customer("acme");
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "0" }))).toEqual(unprocessable({ rate_amount: ["value_is_out_of_range"], currency: ["value_is_invalid"] }));
    expect(outcome(await createWallet({ external_customer_id: "acme", currency: "USD" }))).toEqual(unprocessable({ rate_amount: ["is not a number"] }));
  });

  it("sets the currency of a customer without one, refuses a different one (customers/update_currency_service.rb)", async () => {
    await customer("acme");
    await wallet({ currency: "EUR" });
    expect((await lago.http("GET", "/customers/acme")).body.customer.currency).toBe("EUR");
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", currency: "USD" }))).toEqual(unprocessable({ currency: ["currencies_does_not_match"] }));
    // Without a currency the wallet takes the customer's.
    expect((await wallet({ currency: undefined, name: "Second" })).currency).toBe("EUR");
  });

  it("binds the customer's currency: a customer with a wallet can no longer change it", async () => {
    await customer("acme", "USD");
    await wallet();
    const res = await lago.http("POST", "/customers", { customer: { external_id: "acme", currency: "EUR" } });
    expect(outcome(res)).toEqual(unprocessable({ currency: ["currencies_does_not_match"] }));
  });

  it("allows six active wallets per customer, codes unique among them (MAXIMUM_WALLETS_PER_CUSTOMER, unique_code_per_customer)", async () => {
    await customer("acme", "USD");
    const first = await wallet({ code: "main" });
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", code: "main" }))).toEqual(unprocessable({ code: ["value_already_exist"] }));
    // A name made into a code that is taken gets the time appended.
    const again = await wallet({ name: "Main" });
    expect(again.code).toMatch(/^main_\d+$/);
    for (let i = 0; i < 4; i++) await wallet({ code: `w${i}` });
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", code: "w9" }))).toEqual(unprocessable({ customer: ["wallet_limit_reached"] }));
    await lago.http("DELETE", `/wallets/${first.lago_id}`);
    expect((await createWallet({ external_customer_id: "acme", rate_amount: "1", code: "main" })).status).toBe(200);
  });

  it("derives the code from the name, or `default` (wallet_actions.rb: code derived from name)", async () => {
    await customer("acme", "USD");
    expect((await wallet({ name: "My Premium Wallet" })).code).toBe("my_premium_wallet");
    expect((await wallet({ name: undefined })).code).toBe("default");
  });

  it("refuses paid credits outside the paid top-up limits unless told to ignore them (WalletTransactionAmountLimitsValidator)", async () => {
    await customer("acme", "USD");
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", paid_credits: "10", paid_top_up_min_amount_cents: 3000 }))).toEqual(
      unprocessable({ paid_credits: ["amount_below_minimum"] }),
    );
    const w = await wallet({ paid_credits: "10", paid_top_up_min_amount_cents: 3000, ignore_paid_top_up_limits_on_creation: "true" });
    expect(w.paid_top_up_min_amount_cents).toBe(3000);
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", paid_top_up_min_amount_cents: 500, paid_top_up_max_amount_cents: 100 }))).toEqual(
      unprocessable({ paid_top_up_max_amount_cents: ["must_be_greater_than_or_equal_min"] }),
    );
  });

  it("refuses credits worth less than a cent (amount_rounds_to_zero)", async () => {
    await customer("acme", "USD");
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", granted_credits: "0.001" }))).toEqual(unprocessable({ granted_credits: ["amount_rounds_to_zero"] }));
  });

  it("keeps metadata and limitations: fee types and billable metric codes (validate_limitations_service.rb)", async () => {
    await customer("acme", "USD");
    await lago.http("POST", "/billable_metrics", { billable_metric: { name: "Calls", code: "calls", aggregation_type: "count_agg" } });
    const w = await wallet({ applies_to: { fee_types: ["charge"], billable_metric_codes: ["calls"] }, metadata: { team: "growth" } });
    expect(w.applies_to).toEqual({ fee_types: ["charge"], billable_metric_codes: ["calls"] });
    expect(w.metadata).toEqual({ team: "growth" });
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", applies_to: { fee_types: ["tip"] } }))).toEqual(unprocessable({ applies_to: ["invalid_limitations"] }));
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", applies_to: { billable_metric_codes: ["nope"] } }))).toEqual(unprocessable({ applies_to: ["invalid_limitations"] }));
  });
});

describe("recurring transaction rules (wallets/recurring_transaction_rules/*)", () => {
  it("creates an interval rule that tops up the wallet's own credits when it names none", async () => {
    await customer("acme", "USD");
    const w = await wallet({ paid_credits: "10", granted_credits: "10", invoice_requires_successful_payment: true, recurring_transaction_rules: [{ trigger: "interval", interval: "monthly" }] });
    expect(w.invoice_requires_successful_payment).toBe(true);
    expect(w.recurring_transaction_rules).toEqual([
      {
        lago_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        paid_credits: "10.0",
        granted_credits: "10.0",
        grants_target_top_up: false,
        interval: "monthly",
        method: "fixed",
        started_at: null,
        expiration_at: null,
        status: "active",
        target_ongoing_balance: null,
        threshold_credits: "0.0",
        trigger: "interval",
        created_at: expect.stringMatching(/Z$/),
        invoice_requires_successful_payment: true,
        transaction_metadata: [],
        transaction_name: null,
        ignore_paid_top_up_limits: false,
        applied_invoice_custom_sections: [],
        payment_method: { payment_method_id: null, payment_method_type: "provider" },
      },
    ]);
  });

  it("creates a threshold rule with a target balance; a threshold rule has no interval", async () => {
    await customer("acme", "USD");
    const w = await wallet({ recurring_transaction_rules: [{ trigger: "threshold", threshold_credits: "5", method: "target", target_ongoing_balance: "200", grants_target_top_up: true, transaction_name: "Refill" }] });
    expect(w.recurring_transaction_rules[0]).toMatchObject({ trigger: "threshold", interval: null, method: "target", threshold_credits: "5.0", target_ongoing_balance: "200.0", grants_target_top_up: true, paid_credits: "0.0", transaction_name: "Refill" });
  });

  it("refuses an invalid rule, more than one rule, grants_target_top_up on a fixed rule, a target under the threshold", async () => {
    await customer("acme", "USD");
    const refused = unprocessable({ recurring_transaction_rules: ["invalid_recurring_rule"] });
    for (const rule of [
      { trigger: "interval", interval: "daily" },
      { trigger: "threshold" },
      { trigger: "interval", interval: "monthly", method: "fixed", grants_target_top_up: true },
      { trigger: "threshold", threshold_credits: "50", method: "target", target_ongoing_balance: "10" },
      { trigger: "interval", interval: "monthly", transaction_metadata: {} },
    ]) {
      expect({ rule, ...outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", recurring_transaction_rules: [rule] })) }).toEqual({ rule, ...refused });
    }
    const two = [{ trigger: "interval", interval: "monthly" }, { trigger: "interval", interval: "weekly" }];
    expect(outcome(await createWallet({ external_customer_id: "acme", rate_amount: "1", recurring_transaction_rules: two }))).toEqual(
      unprocessable({ recurring_transaction_rules: ["invalid_number_of_recurring_rules"] }),
    );
  });

  it("drops rules without premium: validated, never created (RecurringTransactionRules::CreateService returns unless License.premium?)", async () => {
    await customer("acme", "USD");
    lago.server.lago.premium = false;
    try {
      expect((await wallet({ recurring_transaction_rules: [{ trigger: "interval", interval: "monthly" }] })).recurring_transaction_rules).toEqual([]);
      expect((await createWallet({ external_customer_id: "acme", rate_amount: "1", recurring_transaction_rules: [{ trigger: "x" }] })).status).toBe(422);
    } finally {
      lago.server.lago.premium = true;
    }
  });

  it("replaces rules on update: a rule sent with its lago_id is updated, one without is created, the rest terminated", async () => {
    await customer("acme", "USD");
    const w = await wallet({ recurring_transaction_rules: [{ trigger: "interval", interval: "monthly", paid_credits: "10" }] });
    const ruleId = w.recurring_transaction_rules[0].lago_id;
    const kept = await updateWallet(w.lago_id, { recurring_transaction_rules: [{ lago_id: ruleId, trigger: "interval", interval: "weekly", paid_credits: "105", granted_credits: "105" }] });
    expect(kept.body.wallet.recurring_transaction_rules).toEqual([expect.objectContaining({ lago_id: ruleId, interval: "weekly", paid_credits: "105.0", granted_credits: "105.0" })]);
    const replaced = await updateWallet(w.lago_id, { recurring_transaction_rules: [{ trigger: "threshold", threshold_credits: "1" }] });
    const [rule] = replaced.body.wallet.recurring_transaction_rules;
    expect(rule.lago_id).not.toBe(ruleId);
    // Created on update, a rule takes no credits from the wallet and keeps the column defaults.
    expect(rule).toMatchObject({ trigger: "threshold", threshold_credits: "1.0", paid_credits: "0.0", interval: "weekly" });
    const cleared = await updateWallet(w.lago_id, { recurring_transaction_rules: [] });
    expect(cleared.body.wallet.recurring_transaction_rules).toEqual([]);
  });

  it("new rules on update follow the wallet's invoice_requires_successful_payment unless they say otherwise", async () => {
    await customer("acme", "USD");
    const w = await wallet();
    const res = await updateWallet(w.lago_id, { invoice_requires_successful_payment: true, recurring_transaction_rules: [{ trigger: "interval", interval: "monthly" }] });
    expect(res.body.wallet.invoice_requires_successful_payment).toBe(true);
    expect(res.body.wallet.recurring_transaction_rules[0].invoice_requires_successful_payment).toBe(true);
  });
});

describe("PUT, GET and DELETE /wallets/:lago_id (update_service.rb, terminate_service.rb)", () => {
  it("updates name, code, priority, expiration and limits through the real client; rate, currency and credits are not updatable", async () => {
    await customer("acme", "USD");
    const w = await wallet({ rate_amount: "2", granted_credits: "3" });
    const { status, data } = await lago.client.wallets.updateWallet(w.lago_id, {
      wallet: { name: "Renamed", code: "renamed", priority: 12, expiration_at: FUTURE, paid_top_up_min_amount_cents: 600, paid_top_up_max_amount_cents: 1000, rate_amount: "9", currency: "EUR", granted_credits: "100" } as never,
    });
    expect(status).toBe(200);
    expect(data.wallet).toMatchObject({ name: "Renamed", code: "renamed", priority: 12, expiration_at: FUTURE, paid_top_up_min_amount_cents: 600, paid_top_up_max_amount_cents: 1000, rate_amount: "2.0", currency: "USD", credits_balance: "3.0", balance_cents: 600 });
  });

  it("answers 404 wallet_not_found for an unknown wallet, 400 for a missing body before that", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(outcome(await lago.http("GET", `/wallets/${unknown}`))).toEqual(notFound("wallet_not_found"));
    expect(outcome(await updateWallet(unknown, { name: "x" }))).toEqual(notFound("wallet_not_found"));
    expect(outcome(await lago.http("DELETE", `/wallets/${unknown}`))).toEqual(notFound("wallet_not_found"));
    expect((await lago.http("PUT", `/wallets/${unknown}`, {})).status).toBe(400);
  });

  it("checks a new expiration date and the priority range", async () => {
    await customer("acme", "USD");
    const w = await wallet();
    expect(outcome(await updateWallet(w.lago_id, { expiration_at: "2001-01-01T00:00:00Z" }))).toEqual(unprocessable({ expiration_at: ["invalid_date"] }));
    expect(outcome(await updateWallet(w.lago_id, { priority: 51 }))).toEqual(unprocessable({ priority: ["value_is_invalid"] }));
  });

  it("replaces metadata on update and refuses an invalid item with the model's messages; at creation an invalid item is dropped", async () => {
    await customer("acme", "USD");
    const w = await wallet({ metadata: { n: 1 } });
    expect(w.metadata).toBeUndefined();
    const ok = await updateWallet(w.lago_id, { metadata: { team: "growth", region: null } });
    expect(ok.body.wallet.metadata).toEqual({ team: "growth", region: null });
    expect(outcome(await updateWallet(w.lago_id, { metadata: { n: 1 } }))).toEqual(unprocessable({ value: ["value for key 'n' must be empty or a String up to 255 characters"] }));
    expect((await getWallet(w.lago_id)).metadata).toEqual({ team: "growth", region: null });
  });

  it("ignores rule changes without premium, still checking them; answers the limits' own errors", async () => {
    await customer("acme", "USD");
    const w = await wallet({ recurring_transaction_rules: [{ trigger: "interval", interval: "monthly" }] });
    lago.server.lago.premium = false;
    try {
      const res = await updateWallet(w.lago_id, { recurring_transaction_rules: [] });
      expect(res.body.wallet.recurring_transaction_rules).toHaveLength(1);
      expect(outcome(await updateWallet(w.lago_id, { recurring_transaction_rules: [{ trigger: "interval" }] }))).toEqual(unprocessable({ recurring_transaction_rules: ["invalid_recurring_rule"] }));
    } finally {
      lago.server.lago.premium = true;
    }
    expect(outcome(await updateWallet(w.lago_id, { applies_to: { fee_types: ["tip"], billable_metric_codes: ["nope"] } }))).toEqual(
      unprocessable({ allowed_fee_types: ["invalid_fee_types"], billable_metrics: ["invalid_identifier"] }),
    );
    expect(outcome(await updateWallet(w.lago_id, { paid_top_up_min_amount_cents: "abc", invoice_requires_successful_payment: "" }))).toEqual(
      unprocessable({ paid_top_up_min_amount_cents: ["is not a number"], invoice_requires_successful_payment: ["value_is_reserved"] }),
    );
  });

  it("terminates: status, terminated_at with milliseconds, rules ended; still readable and listed; twice is the same", async () => {
    await customer("acme", "USD");
    const w = await wallet({ recurring_transaction_rules: [{ trigger: "interval", interval: "monthly" }] });
    const { status, data } = await lago.client.wallets.destroyWallet(w.lago_id);
    expect(status).toBe(200);
    expect(data.wallet).toMatchObject({ lago_id: w.lago_id, status: "terminated", terminated_at: expect.stringMatching(/\.\d{3}Z$/), recurring_transaction_rules: [] });
    expect(await getWallet(w.lago_id)).toEqual(data.wallet);
    expect((await lago.http("DELETE", `/wallets/${w.lago_id}`)).body.wallet).toEqual(data.wallet);
    expect((await lago.http("GET", "/wallets?external_customer_id=acme")).body.wallets.map((x: { status: string }) => x.status)).toEqual(["terminated"]);
    expect(outcome(await topUp({ wallet_id: w.lago_id, granted_credits: "1" }))).toEqual(unprocessable({ wallet_id: ["wallet_is_terminated"] }));
  });
});

describe("expiry (clock/terminate_wallets_job.rb, every hour at :45 in clock.rb)", () => {
  it("terminates a wallet past its expiration_at at the first run of the hourly job after it", async () => {
    await customer("acme", "USD");
    const w = await wallet({ expiration_at: "2099-06-30T12:50:00Z", recurring_transaction_rules: [{ trigger: "interval", interval: "monthly" }] });
    const clock = lago.server.lago.now;
    try {
      lago.server.lago.now = () => new Date("2099-06-30T13:44:59Z");
      expect((await getWallet(w.lago_id)).status).toBe("active");
      lago.server.lago.now = () => new Date("2099-06-30T13:45:00Z");
      expect(await getWallet(w.lago_id)).toMatchObject({ status: "terminated", terminated_at: "2099-06-30T13:45:00.000Z", recurring_transaction_rules: [] });
    } finally {
      lago.server.lago.now = clock;
    }
  });
});

describe("interval top-ups (wallets/create_interval_wallet_transactions_service.rb, every hour at :55 in clock.rb)", () => {
  const at = (iso: string) => () => new Date(iso);

  it("tops up on each anniversary after the wallet's first day, at the job's first run of that day", async () => {
    const clock = lago.server.lago.now;
    try {
      lago.server.lago.now = at("2099-01-31T10:00:00Z");
      await customer("acme", "USD");
      const w = await wallet({ recurring_transaction_rules: [{ trigger: "interval", interval: "monthly", granted_credits: "10", paid_credits: "2", transaction_name: "Monthly" }] });
      lago.server.lago.now = at("2099-03-31T00:54:59Z");
      const rows = (await transactionsOf(w.lago_id)).wallet_transactions;
      // February has no 31st: its last day takes the anniversary; 31 March's run is at 00:55, not yet.
      expect(rows.map((t: { source: string; transaction_status: string; created_at: string; name: string }) => [t.source, t.transaction_status, t.created_at, t.name])).toEqual([
        ["interval", "granted", "2099-02-28T00:55:00Z", "Monthly"],
        ["interval", "purchased", "2099-02-28T00:55:00Z", "Monthly"],
      ]);
      lago.server.lago.now = at("2099-03-31T00:55:00Z");
      expect(await getWallet(w.lago_id)).toMatchObject({ credits_balance: "20.0" });
      expect((await transactionsOf(w.lago_id, "?transaction_status=granted")).meta.total_count).toBe(2);
    } finally {
      lago.server.lago.now = clock;
    }
  });

  it("counts from the rule's started_at, weekly on its weekday; a target rule tops up to its target only when below it", async () => {
    const clock = lago.server.lago.now;
    try {
      lago.server.lago.now = at("2099-01-01T10:00:00Z");
      await customer("acme", "USD");
      const weekly = await wallet({ code: "weekly", recurring_transaction_rules: [{ trigger: "interval", interval: "weekly", granted_credits: "1", started_at: "2099-01-05T00:00:00Z" }] });
      const target = await wallet({ code: "target", granted_credits: "100", recurring_transaction_rules: [{ trigger: "interval", interval: "weekly", method: "target", target_ongoing_balance: "100", grants_target_top_up: true }] });
      lago.server.lago.now = at("2099-01-20T00:00:00Z");
      const weeklyDays = (await transactionsOf(weekly.lago_id)).wallet_transactions.map((t: { created_at: string }) => t.created_at.slice(0, 10));
      expect(weeklyDays).toEqual(["2099-01-19", "2099-01-12", "2099-01-05"]);
      expect((await transactionsOf(target.lago_id)).meta.total_count).toBe(1); // only the creation's grant
    } finally {
      lago.server.lago.now = clock;
    }
  });
});

describe("GET /wallets (wallets_query.rb)", () => {
  it("lists newest first and pages; filters by customer and currency; an unknown customer is 404", async () => {
    await customer("acme", "USD");
    await customer("beta", "EUR");
    const a = await wallet({ code: "a" });
    const b = await wallet({ code: "b" });
    await wallet({ external_customer_id: "beta", currency: "EUR", code: "c" });
    const { data } = await lago.client.wallets.findAllWallets({ external_customer_id: "acme", per_page: 1 } as never);
    expect(data.wallets.map((w) => w.lago_id)).toEqual([b.lago_id]);
    expect(data.meta).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 2 });
    expect((await lago.http("GET", "/wallets?external_customer_id=acme&per_page=1&page=2")).body.wallets.map((w: { lago_id: string }) => w.lago_id)).toEqual([a.lago_id]);
    expect((await lago.http("GET", "/wallets?currency=EUR")).body.wallets.map((w: { code: string }) => w.code)).toEqual(["c"]);
    expect((await lago.http("GET", "/wallets")).body.meta.total_count).toBe(3);
    expect(outcome(await lago.http("GET", "/wallets?external_customer_id=nobody"))).toEqual(notFound("customer_not_found"));
    expect(outcome(await lago.http("GET", "/wallets?billing_entity_codes[]=eu"))).toEqual(notFound("billing_entity_not_found"));
  });
});

describe("POST /wallet_transactions (wallet_transactions/create_from_params_service.rb, validate_service.rb)", () => {
  it("tops up through the real client: paid pending, granted settled; the balance moves with granted credits only", async () => {
    await customer("acme", "USD");
    const w = await wallet({ rate_amount: "0.5" });
    const { status, data } = await lago.client.walletTransactions.createWalletTransaction({ wallet_transaction: { wallet_id: w.lago_id, paid_credits: "10", granted_credits: "4", name: "Top-up" } } as never);
    expect(status).toBe(200);
    expect(data.wallet_transactions.map((t: { transaction_status: string; status: string; amount: string; credit_amount: string; name?: string | null }) => [t.transaction_status, t.status, t.amount, t.credit_amount, t.name])).toEqual([
      ["purchased", "pending", "5.0", "10.0", "Top-up"],
      ["granted", "settled", "2.0", "4.0", "Top-up"],
    ]);
    expect(await getWallet(w.lago_id)).toMatchObject({ credits_balance: "4.0", balance_cents: 200 });
  });

  it("voids credits: an outbound settled transaction, counted as consumed, drawn from the granted top-ups", async () => {
    await customer("acme", "USD");
    const w = await wallet({ granted_credits: "10" });
    const res = await topUp({ wallet_id: w.lago_id, voided_credits: "4" });
    expect(res.body.wallet_transactions).toEqual([expect.objectContaining({ transaction_type: "outbound", transaction_status: "voided", status: "settled", amount: "4.0", credit_amount: "4.0", remaining_amount_cents: null })]);
    expect(await getWallet(w.lago_id)).toMatchObject({ credits_balance: "6.0", balance_cents: 600, consumed_credits: "4.0", last_consumed_credit_at: expect.stringMatching(/Z$/) });
    const granted = (await transactionsOf(w.lago_id, "?transaction_status=granted")).wallet_transactions;
    expect(granted.map((t: { remaining_amount_cents: number; remaining_credit_amount: string }) => [t.remaining_amount_cents, t.remaining_credit_amount])).toEqual([[600, "6.0"]]);
    expect(outcome(await topUp({ wallet_id: w.lago_id, voided_credits: "7" }))).toEqual(unprocessable({ voided_credits: ["insufficient_credits"] }));
  });

  it("answers Lago's validation errors", async () => {
    await customer("acme", "USD");
    const w = await wallet();
    expect(outcome(await topUp({ wallet_id: "00000000-0000-4000-8000-000000000000", paid_credits: "1" }))).toEqual(unprocessable({ wallet_id: ["wallet_not_found"] }));
    expect(outcome(await topUp({ wallet_id: w.lago_id, paid_credits: "abc", granted_credits: 5, name: 12 }))).toEqual(
      unprocessable({ paid_credits: ["invalid_paid_credits", "invalid_amount"], granted_credits: ["invalid_granted_credits", "invalid_amount"], name: ["invalid_value"] }),
    );
    expect(outcome(await topUp({ wallet_id: w.lago_id, granted_credits: "0.001" }))).toEqual(unprocessable({ granted_credits: ["amount_rounds_to_zero"] }));
  });

  it("filters the list by status, transaction type and transaction status; an unknown wallet is 404", async () => {
    await customer("acme", "USD");
    const w = await wallet({ paid_credits: "3", granted_credits: "2" });
    const { data } = await lago.client.wallets.findAllWalletTransactions(w.lago_id, { status: "pending" } as never);
    expect(data.wallet_transactions.map((t) => t.transaction_status)).toEqual(["purchased"]);
    expect((await transactionsOf(w.lago_id, "?transaction_type=outbound")).wallet_transactions).toEqual([]);
    expect((await transactionsOf(w.lago_id, "?status=bogus")).meta.total_count).toBe(2);
    expect(outcome(await lago.http("GET", "/wallets/00000000-0000-4000-8000-000000000000/wallet_transactions"))).toEqual(notFound("wallet_not_found"));
  });
});

describe("threshold top-ups (wallets/threshold_top_up_service.rb after customers/refresh_wallets_service.rb)", () => {
  it("a settled balance at or under the threshold fires the rule's top-up, sourced `threshold`", async () => {
    await customer("acme", "USD");
    const w = await wallet({ granted_credits: "5", recurring_transaction_rules: [{ trigger: "threshold", threshold_credits: "10", granted_credits: "20", transaction_name: "Refill" }] });
    expect(await getWallet(w.lago_id)).toMatchObject({ credits_balance: "25.0", balance_cents: 2500 });
    const rows = (await transactionsOf(w.lago_id)).wallet_transactions;
    expect(rows.map((t: { source: string; credit_amount: string; name: string | null }) => [t.source, t.credit_amount, t.name])).toEqual([
      ["threshold", "20.0", "Refill"],
      ["manual", "5.0", null],
    ]);
  });

  it("a wallet created under its threshold is topped up by Lago's refresh of the flagged customer (clock, premium)", async () => {
    await customer("acme", "USD");
    const w = await wallet({ recurring_transaction_rules: [{ trigger: "threshold", threshold_credits: "10", granted_credits: "20" }] });
    expect(w.credits_balance).toBe("0.0");
    expect(await getWallet(w.lago_id)).toMatchObject({ credits_balance: "20.0" });
  });

  it("voiding under the threshold tops a target rule up to its target (paid, so pending: no second top-up)", async () => {
    await customer("acme", "USD");
    const w = await wallet({ granted_credits: "50", recurring_transaction_rules: [{ trigger: "threshold", threshold_credits: "10", method: "target", target_ongoing_balance: "100" }] });
    await topUp({ wallet_id: w.lago_id, voided_credits: "45" });
    const rows = (await transactionsOf(w.lago_id, "?status=pending")).wallet_transactions;
    expect(rows).toEqual([expect.objectContaining({ source: "threshold", transaction_status: "purchased", credit_amount: "95.0" })]);
    expect(await getWallet(w.lago_id)).toMatchObject({ credits_balance: "5.0" });
  });

  it("an update refreshes the wallets only when code, priority, fee types or targets change (update_service.rb needs_refresh?)", async () => {
    await customer("acme", "USD");
    const w = await wallet({ granted_credits: "5" });
    const rule = { trigger: "threshold", threshold_credits: "10", granted_credits: "20" };
    await updateWallet(w.lago_id, { recurring_transaction_rules: [rule] });
    expect((await getWallet(w.lago_id)).credits_balance).toBe("5.0");
    await updateWallet(w.lago_id, { priority: 3 });
    expect((await getWallet(w.lago_id)).credits_balance).toBe("25.0");
  });

  it("a balance above the threshold, or a terminated rule, fires nothing", async () => {
    await customer("acme", "USD");
    const w = await wallet({ granted_credits: "50", recurring_transaction_rules: [{ trigger: "threshold", threshold_credits: "10", granted_credits: "5" }] });
    await updateWallet(w.lago_id, { recurring_transaction_rules: [] });
    await topUp({ wallet_id: w.lago_id, voided_credits: "45" });
    expect((await transactionsOf(w.lago_id)).wallet_transactions.map((t: { source: string }) => t.source)).toEqual(["manual", "manual"]);
  });
});

describe("customer deletion (customers/terminate_relations_service.rb)", () => {
  it("terminates the customer's active wallets; they stay readable", async () => {
    await customer("acme", "USD");
    const w = await wallet();
    expect((await lago.http("DELETE", "/customers/acme")).status).toBe(200);
    expect(await getWallet(w.lago_id)).toMatchObject({ status: "terminated", terminated_at: expect.stringMatching(/Z$/) });
  });
});
