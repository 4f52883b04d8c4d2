// lago-api.md §3.3–3.4 and §1.10: charges inside plans — models, kept properties, defaults, the exact
// property validation codes, range bounds, timing and premium rules, filters; §3.1 charge sub-resource.
import { afterEach, describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";
import { unprocessable } from "../support/lago-errors";

const lago = useLocalLago({ resetEach: true });
afterEach(() => {
  lago.server.lago.premium = true;
});

async function metric(overrides: Record<string, unknown> = {}): Promise<{ lago_id: string; code: string }> {
  const body = { name: "Metric", code: "calls", aggregation_type: "sum_agg", field_name: "n", ...overrides };
  const { data } = await lago.client.billableMetrics.createBillableMetric({ billable_metric: body as any });
  return data.billable_metric;
}

const planWith = (charges: unknown[], overrides: Record<string, unknown> = {}) => ({
  name: "P",
  code: "p",
  interval: "monthly",
  amount_cents: 0,
  amount_currency: "USD",
  pay_in_advance: false,
  charges,
  ...overrides,
});

/** Creates a plan with one charge through raw HTTP (error paths); returns status and body. */
const postCharge = (charge: Record<string, unknown>) => lago.http("POST", "/plans", { plan: planWith([charge]) });

/** Creates a plan with one charge through the client and returns the charge Lago answered with. */
async function createdCharge(charge: Record<string, unknown>) {
  const { data } = await lago.client.plans.createPlan({ plan: planWith([charge]) as any });
  return data.plan.charges![0]!;
}

describe("§3.3 charge models: defaults and kept properties", () => {
  it.each([
    ["standard", { amount: "0" }],
    ["graduated", { graduated_ranges: [{ from_value: 0, to_value: null, per_unit_amount: "0", flat_amount: "0" }] }],
    ["volume", { volume_ranges: [{ from_value: 0, to_value: null, per_unit_amount: "0", flat_amount: "0" }] }],
    ["package", { package_size: 1, amount: "0", free_units: 0 }],
    ["percentage", { rate: "0" }],
    ["graduated_percentage", { graduated_percentage_ranges: [{ from_value: 0, to_value: null, rate: "0", fixed_amount: "0", flat_amount: "0" }] }],
    ["dynamic", {}],
  ])("%s without properties gets Lago's defaults", async (model, defaults) => {
    const { lago_id } = await metric();
    expect((await createdCharge({ billable_metric_id: lago_id, charge_model: model })).properties).toEqual(defaults);
    // `{}` counts as omitted too
    await lago.client.plans.destroyPlan("p");
    expect((await createdCharge({ billable_metric_id: lago_id, charge_model: model, properties: {} })).properties).toEqual(defaults);
  });

  it("drops keys the model does not use and echoes kept values with their JSON types", async () => {
    const { lago_id } = await metric();
    const charge = await createdCharge({
      billable_metric_id: lago_id,
      charge_model: "package",
      properties: { amount: "12.50", package_size: 10, free_units: 0, rate: "3", graduated_ranges: [], surprise: true },
    });
    expect(charge.properties).toEqual({ amount: "12.50", package_size: 10, free_units: 0 });
  });

  it("folds the legacy grouped_by into pricing_group_keys and mirrors both in the response", async () => {
    const { lago_id } = await metric();
    const charge = await createdCharge({ billable_metric_id: lago_id, charge_model: "standard", properties: { amount: "1", grouped_by: ["region"] } });
    expect(charge.properties).toEqual({ amount: "1", pricing_group_keys: ["region"], grouped_by: ["region"] });
  });

  it("generates charge codes from the metric code: mtu, then mtu_2; an explicit duplicate is refused", async () => {
    const { lago_id } = await metric({ code: "mtu", aggregation_type: "unique_count_agg", field_name: "user_id" });
    const { data } = await lago.client.plans.createPlan({
      plan: planWith([
        { billable_metric_id: lago_id, charge_model: "standard" },
        { billable_metric_id: lago_id, charge_model: "standard" },
      ]) as any,
    });
    expect(data.plan.charges!.map((c) => c.code)).toEqual(["mtu", "mtu_2"]);
    const clash = await lago.http("POST", "/plans", {
      plan: planWith(
        [
          { billable_metric_id: lago_id, charge_model: "standard" },
          { billable_metric_id: lago_id, charge_model: "standard", code: "mtu" },
        ],
        { code: "q" },
      ),
    });
    expect(clash).toMatchObject(unprocessable({ code: ["value_already_exist"] }));
  });

  it("applies charge taxes by tax_codes; an unknown code is 404 tax_not_found after validation passed", async () => {
    await lago.client.taxes.createTax({ tax: { name: "VAT", code: "vat", rate: "20" } as any });
    const { lago_id } = await metric();
    expect(await postCharge({ billable_metric_id: lago_id, charge_model: "standard", properties: { amount: 1 }, tax_codes: ["nope"] })).toMatchObject(
      unprocessable({ properties: ["invalid_amount"] }),
    );
    const res = await postCharge({ billable_metric_id: lago_id, charge_model: "standard", tax_codes: ["nope"] });
    expect(res.body).toEqual({ status: 404, error: "Not Found", code: "tax_not_found" });
    const charge = await createdCharge({ billable_metric_id: lago_id, charge_model: "standard", tax_codes: ["vat"] });
    expect(charge.taxes!.map((t) => [t.code, t.rate])).toEqual([["vat", 20]]);
  });

  it("answers 404 billable_metrics_not_found for an unknown metric id before any validation error", async () => {
    const res = await lago.http("POST", "/plans", {
      plan: planWith([{ billable_metric_id: "00000000-0000-4000-8000-00000000abcd", charge_model: "nonsense" }], { name: "", interval: "daily" }),
    });
    expect(res).toMatchObject({ status: 404, body: { status: 404, error: "Not Found", code: "billable_metrics_not_found" } });
  });

  it("answers 404 billable_metric_not_found (singular) for a charge without a metric id", async () => {
    const res = await postCharge({ charge_model: "standard" });
    expect(res).toMatchObject({ status: 404, body: { status: 404, error: "Not Found", code: "billable_metric_not_found" } });
  });

  it("requires a charge model: missing → value_is_invalid and value_is_mandatory; unknown → value_is_invalid", async () => {
    const { lago_id } = await metric();
    expect(await postCharge({ billable_metric_id: lago_id })).toMatchObject(unprocessable({ charge_model: ["value_is_invalid", "value_is_mandatory"] }));
    expect(await postCharge({ billable_metric_id: lago_id, charge_model: "tiered" })).toMatchObject(unprocessable({ charge_model: ["value_is_invalid"] }));
  });

  it("dynamic needs a sum_agg metric (error under charge_model)", async () => {
    const counted = await metric({ code: "users", aggregation_type: "unique_count_agg", field_name: "user_id" });
    expect(await postCharge({ billable_metric_id: counted.lago_id, charge_model: "dynamic" })).toMatchObject(
      unprocessable({ charge_model: ["invalid_aggregation_type_or_charge_model"] }),
    );
    const summed = await metric();
    const charge = await createdCharge({ billable_metric_id: summed.lago_id, charge_model: "dynamic", properties: { amount: "1" } });
    expect(charge).toMatchObject({ charge_model: "dynamic", properties: {} });
  });
});

describe("§1.10 graduated_percentage is premium", () => {
  it("422 charge_model graduated_percentage_requires_premium_license without premium, accepted with it", async () => {
    const { lago_id } = await metric();
    const charge = { billable_metric_id: lago_id, charge_model: "graduated_percentage" };
    lago.server.lago.premium = false;
    expect(await postCharge(charge)).toMatchObject(unprocessable({ charge_model: ["graduated_percentage_requires_premium_license"] }));
    lago.server.lago.premium = true;
    expect((await postCharge(charge)).status).toBe(200);
  });
});

describe("§3.4 property validation codes (error_details.properties, no charge index)", () => {
  const range = (from: number, to: number | null, price = "1") => ({ from_value: from, to_value: to, per_unit_amount: price, flat_amount: "0" });
  const graduated = (...ranges: unknown[]) => ({ charge_model: "graduated", properties: { graduated_ranges: ranges } });
  const volume = (...ranges: unknown[]) => ({ charge_model: "volume", properties: { volume_ranges: ranges } });

  async function verdict(charge: Record<string, unknown>) {
    const { lago_id } = await metric();
    const res = await postCharge({ billable_metric_id: lago_id, ...charge });
    await lago.server.admin.reset();
    return res.status === 200 ? "valid" : res.body.error_details;
  }

  // The same bounds sent as a graduated and as a volume charge: where the two models' rules part.
  const refused = (model: string) => ({ properties: [`invalid_${model}_ranges`] });
  it.each([
    ["adjacent style [0–100],[100–…]: valid graduated, invalid volume", [[0, 100], [100, null]], "valid", refused("volume")],
    ["+1 style [0–100],[101–…]: valid for both", [[0, 100], [101, null]], "valid", "valid"],
    ["volume also takes +2 ([0–100],[102–…]), which graduated refuses", [[0, 100], [102, null]], refused("graduated"), "valid"],
    ["the first range may start at 1", [[1, 10], [11, null]], "valid", "valid"],
    ["the first range starts at 0 or 1, nothing else: 2 is refused", [[2, 10], [11, null]], refused("graduated"), refused("volume")],
  ] as const)("%s", async (_rule, bounds, graduatedVerdict, volumeVerdict) => {
    const ranges = bounds.map(([from, to]) => range(from, to));
    expect(await verdict(graduated(...ranges))).toEqual(graduatedVerdict);
    expect(await verdict(volume(...ranges))).toEqual(volumeVerdict);
  });

  it("the last range must be open (to_value null)", async () => {
    expect(await verdict(graduated(range(0, 10), range(11, 20)))).toEqual({ properties: ["invalid_graduated_ranges"] });
    expect(await verdict(volume(range(0, 10)))).toEqual({ properties: ["invalid_volume_ranges"] });
  });

  it("a non-last range needs to_value > from_value; each bad range adds the code once", async () => {
    expect(await verdict(graduated(range(0, 0), range(0, null)))).toEqual({ properties: ["invalid_graduated_ranges"] });
    expect(await verdict(graduated(range(0, 10), range(11, 5), range(6, null)))).toEqual({ properties: ["invalid_graduated_ranges"] });
    expect(await verdict(graduated(range(5, 10), range(20, 30), range(31, 40)))).toEqual({
      properties: ["invalid_graduated_ranges", "invalid_graduated_ranges", "invalid_graduated_ranges"],
    });
  });

  it("decimal bounds are fine", async () => {
    expect(await verdict(graduated(range(0, 0.5), range(0.5, null)))).toBe("valid");
  });

  it("empty ranges → missing_*_ranges", async () => {
    expect(await verdict(graduated())).toEqual({ properties: ["missing_graduated_ranges"] });
    expect(await verdict(volume())).toEqual({ properties: ["missing_volume_ranges"] });
    expect(await verdict({ charge_model: "graduated_percentage", properties: { graduated_percentage_ranges: [] } })).toEqual({
      properties: ["missing_graduated_percentage_ranges"],
    });
  });

  it("prices sent as JSON numbers are refused: exact 422 body", async () => {
    const { lago_id } = await metric();
    const res = await postCharge({ billable_metric_id: lago_id, charge_model: "standard", properties: { amount: 0.5 } });
    expect(res).toEqual({ ...unprocessable({ properties: ["invalid_amount"] }), headers: res.headers });
  });

  it("amount codes come before the bounds code, in Lago's field order", async () => {
    const bad = { from_value: 0, to_value: 10, per_unit_amount: 1, flat_amount: "x" };
    expect(await verdict(graduated(bad, range(10, null, "-1")))).toEqual({ properties: ["invalid_amount", "invalid_amount", "invalid_amount"] });
    expect(await verdict(volume(range(0, 10, "0.1"), { ...range(10, null), flat_amount: 2 }))).toEqual({ properties: ["invalid_amount", "invalid_volume_ranges"] });
  });

  it("standard, package and percentage codes", async () => {
    expect(await verdict({ charge_model: "standard", properties: { amount: "-1" } })).toEqual({ properties: ["invalid_amount"] });
    expect(await verdict({ charge_model: "package", properties: { amount: "1", package_size: 0, free_units: "1" } })).toEqual({
      properties: ["invalid_free_units", "invalid_package_size"],
    });
    expect(await verdict({ charge_model: "package", properties: { amount: "1", package_size: 10 } })).toEqual({ properties: ["invalid_free_units"] });
    expect(await verdict({ charge_model: "percentage", properties: { rate: 1 } })).toEqual({ properties: ["invalid_rate"] });
    expect(
      await verdict({
        charge_model: "percentage",
        properties: { rate: "1", fixed_amount: 1, free_units_per_events: 0, free_units_per_total_aggregation: "x" },
      }),
    ).toEqual({ properties: ["invalid_fixed_amount", "invalid_free_units_per_events", "invalid_free_units_per_total_aggregation"] });
    expect(await verdict({ charge_model: "percentage", properties: { rate: "1", per_transaction_min_amount: "5", per_transaction_max_amount: "2" } })).toEqual({
      properties: ["per_transaction_max_lower_than_per_transaction_min"],
    });
  });

  it("per-transaction bounds are only checked with premium (§1.10)", async () => {
    lago.server.lago.premium = false;
    expect(await verdict({ charge_model: "percentage", properties: { rate: "1", per_transaction_min_amount: "5", per_transaction_max_amount: "2" } })).toBe("valid");
  });

  it("graduated_percentage: invalid_amount for flat_amount, invalid_rate for rate, latest_agg metric → invalid_value", async () => {
    const ranges = [{ from_value: 0, to_value: null, rate: 1, flat_amount: 0, fixed_amount: "0" }];
    expect(await verdict({ charge_model: "graduated_percentage", properties: { graduated_percentage_ranges: ranges } })).toEqual({
      properties: ["invalid_amount", "invalid_rate"],
    });
    const latest = await metric({ code: "last", aggregation_type: "latest_agg" });
    const res = await postCharge({ billable_metric_id: latest.lago_id, charge_model: "percentage" });
    expect(res.body.error_details).toEqual({ properties: ["invalid_value"] });
  });

  it("group keys: pricing_group_keys must be non-empty strings; presentation_group_keys at most two distinct", async () => {
    expect(await verdict({ charge_model: "standard", properties: { amount: "1", pricing_group_keys: ["a", " "] } })).toEqual({ properties: ["invalid_type"] });
    const keys = [{ value: "a" }, { value: "a", options: { display_in_invoice: true } }, { value: "b" }];
    expect(await verdict({ charge_model: "standard", properties: { amount: "1", presentation_group_keys: keys } })).toEqual({
      properties: ["too_many_keys", "value_is_duplicated"],
    });
    expect(await verdict({ charge_model: "standard", properties: { amount: "1", presentation_group_keys: [{ value: "" }] } })).toEqual({
      properties: ["invalid_type"],
    });
  });
});

describe("§3.3 timing, proration and premium charge fields", () => {
  /** Paid in advance, kept off invoices and regrouped: valid with premium, partly ignored without. */
  const paidAsYouGo = { charge_model: "standard", pay_in_advance: true, invoiceable: false, regroup_paid_fees: "invoice" };

  it("pay_in_advance is refused with volume and with max/latest/weighted metrics", async () => {
    const { lago_id } = await metric();
    expect(await postCharge({ billable_metric_id: lago_id, charge_model: "volume", pay_in_advance: true })).toMatchObject(
      unprocessable({ pay_in_advance: ["invalid_aggregation_type_or_charge_model"] }),
    );
    const peak = await metric({ code: "peak", aggregation_type: "max_agg" });
    expect(await postCharge({ billable_metric_id: peak.lago_id, charge_model: "standard", pay_in_advance: true })).toMatchObject(
      unprocessable({ pay_in_advance: ["invalid_aggregation_type_or_charge_model"] }),
    );
    const charge = await createdCharge({ billable_metric_id: lago_id, charge_model: "standard", pay_in_advance: true });
    expect(charge.pay_in_advance).toBe(true);
  });

  it("prorated needs a recurring metric with a compatible model", async () => {
    const plain = await metric();
    expect(await postCharge({ billable_metric_id: plain.lago_id, charge_model: "standard", prorated: true })).toMatchObject(
      unprocessable({ prorated: ["invalid_billable_metric_or_charge_model"] }),
    );
    const seats = await metric({ code: "seats", recurring: true });
    expect(await postCharge({ billable_metric_id: seats.lago_id, charge_model: "package", prorated: true })).toMatchObject(
      unprocessable({ prorated: ["invalid_billable_metric_or_charge_model"] }),
    );
    expect((await createdCharge({ billable_metric_id: seats.lago_id, charge_model: "graduated", prorated: true })).prorated).toBe(true);
  });

  it("invoiceable false needs pay_in_advance; regroup_paid_fees needs both; min_amount_cents not with pay_in_advance", async () => {
    const { lago_id } = await metric();
    expect(await postCharge({ billable_metric_id: lago_id, charge_model: "standard", invoiceable: false })).toMatchObject(
      unprocessable({ invoiceable: ["must_be_true_unless_pay_in_advance"] }),
    );
    expect(await postCharge({ billable_metric_id: lago_id, charge_model: "standard", pay_in_advance: true, regroup_paid_fees: "invoice" })).toMatchObject(
      unprocessable({ regroup_paid_fees: ["only_compatible_with_pay_in_advance_and_non_invoiceable"] }),
    );
    expect(await postCharge({ billable_metric_id: lago_id, charge_model: "standard", pay_in_advance: true, min_amount_cents: 100 })).toMatchObject(
      unprocessable({ min_amount_cents: ["not_compatible_with_pay_in_advance"] }),
    );
    const charge = await createdCharge({ billable_metric_id: lago_id, ...paidAsYouGo });
    expect(charge).toMatchObject({ pay_in_advance: true, invoiceable: false, regroup_paid_fees: "invoice", min_amount_cents: 0 });
  });

  it("without premium, invoiceable, regroup_paid_fees and min_amount_cents are silently ignored (§1.10)", async () => {
    const { lago_id } = await metric();
    lago.server.lago.premium = false;
    const charge = await createdCharge({ billable_metric_id: lago_id, ...paidAsYouGo });
    expect(charge).toMatchObject({ invoiceable: true, regroup_paid_fees: null, min_amount_cents: 0 });
    await lago.client.plans.destroyPlan("p");
    expect((await createdCharge({ billable_metric_id: lago_id, charge_model: "standard", min_amount_cents: 500 })).min_amount_cents).toBe(0);
  });
});

describe("§3.3 charge filters", () => {
  const regional = () => metric({ filters: [{ key: "region", values: ["eu", "us"] }] });

  it("stores per-filter prices and echoes them with lago_id and charge_code", async () => {
    const { lago_id } = await regional();
    const charge = await createdCharge({
      billable_metric_id: lago_id,
      charge_model: "standard",
      properties: { amount: "1" },
      filters: [{ invoice_display_name: "Europe", properties: { amount: "2", rate: "9" }, values: { region: ["eu"] } }],
    });
    expect(charge.filters).toEqual([
      { lago_id: expect.any(String), charge_code: "calls", invoice_display_name: "Europe", properties: { amount: "2" }, values: { region: ["eu"] } },
    ]);
  });

  it("values must be the metric's own; missing values are mandatory; filter prices are validated", async () => {
    const { lago_id } = await regional();
    const withFilter = (filter: unknown) => postCharge({ billable_metric_id: lago_id, charge_model: "standard", properties: { amount: "1" }, filters: [filter] });
    expect(await withFilter({ properties: { amount: "1" }, values: { region: ["asia"] } })).toMatchObject(unprocessable({ values: ["value_is_invalid"] }));
    expect(await withFilter({ properties: { amount: "1" }, values: { country: ["fr"] } })).toMatchObject(
      unprocessable({ billable_metric_filter: ["relation_must_exist"], values: ["value_is_invalid"] }),
    );
    expect(await withFilter({ properties: { amount: "1" }, values: {} })).toMatchObject(unprocessable({ values: ["value_is_mandatory"] }));
    expect(await withFilter({ properties: { amount: 1 }, values: { region: ["eu"] } })).toMatchObject(unprocessable({ properties: ["invalid_amount"] }));
    expect((await withFilter({ properties: { amount: "1" }, values: { region: ["__ALL_FILTER_VALUES__"] } })).status).toBe(200);
  });
});

describe("§3.1 /plans/{code}/charges", () => {
  it("creates (code required), lists newest first, reads, updates and deletes a charge; 404s are plan_not_found / charge_not_found", async () => {
    const { lago_id } = await metric();
    await lago.client.plans.createPlan({ plan: planWith([]) as any });
    const missingCode = await lago.http("POST", "/plans/p/charges", { charge: { billable_metric_id: lago_id, charge_model: "standard" } });
    expect(missingCode).toMatchObject(unprocessable({ code: ["value_is_mandatory"] }));

    const first = await lago.client.plans.createPlanCharge("p", { charge: { billable_metric_id: lago_id, code: "a", charge_model: "standard" } as any });
    await lago.client.plans.createPlanCharge("p", { charge: { billable_metric_id: lago_id, code: "b", charge_model: "package" } as any });
    const list = await lago.client.plans.findAllPlanCharges("p");
    expect(list.data.charges.map((c) => c.code)).toEqual(["b", "a"]);
    expect(list.data.meta).toMatchObject({ current_page: 1, total_count: 2 });

    const updated = await lago.client.plans.updatePlanCharge("p", "a", { charge: { charge_model: "standard", properties: { amount: "3" } } as any });
    expect(updated.data.charge).toMatchObject({ lago_id: first.data.charge.lago_id, properties: { amount: "3" } });
    expect((await lago.client.plans.findPlanCharge("p", "a")).data.charge.properties).toEqual({ amount: "3" });

    const deleted = await lago.client.plans.destroyPlanCharge("p", "a", {} as any);
    expect(deleted.data.charge.lago_id).toBe(first.data.charge.lago_id);
    expect(await lagoError(lago.client.plans.findPlanCharge("p", "a"))).toEqual({ status: 404, body: { status: 404, error: "Not Found", code: "charge_not_found" } });
    expect(await lagoError(lago.client.plans.findAllPlanCharges("nope"))).toEqual({ status: 404, body: { status: 404, error: "Not Found", code: "plan_not_found" } });
    const unknownMetric = await lago.http("POST", "/plans/p/charges", { charge: { billable_metric_id: "00000000-0000-4000-8000-00000000abcd", code: "c", charge_model: "standard" } });
    expect(unknownMetric.body).toEqual({ status: 404, error: "Not Found", code: "billable_metric_not_found" });
  });
});
