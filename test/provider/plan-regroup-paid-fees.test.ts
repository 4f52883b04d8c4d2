// A charge's regroupPaidFees (issue #11 step 3) through the provider against the local Lago: Lago's
// regroup_paid_fees, only on a pay-in-advance charge that is not invoiced (local-lago/resources/charges.ts, from
// Lago's Charge model validation only_compatible_with_pay_in_advance_and_non_invoiceable).
import { describe, expect, it } from "vitest";
import { useProviderRuntime } from "./harness";

const { lago, runtime } = useProviderRuntime();

const plan = (charge: Record<string, unknown>) => ({
  name: "API", code: "api", interval: "monthly", amountCents: 0, amountCurrency: "USD",
  charges: [{ billableMetricCode: "calls", code: "calls", chargeModel: "standard", amount: "0.5", payInAdvance: true, invoiceable: false, ...charge }],
});
const lagoCharge = async () => (await lago.http("GET", "/plans/api")).body.plan.charges[0] as Record<string, unknown>;

describe("Plan charge regroupPaidFees", () => {
  it("is written, read back, compared, and cleared when left out", async () => {
    await lago.http("POST", "/billable_metrics", { billable_metric: { name: "Calls", code: "calls", aggregation_type: "count_agg" } });
    const regrouped = plan({ regroupPaidFees: "invoice" });
    const created = await runtime.plan.create(regrouped);
    expect(await lagoCharge()).toMatchObject({ pay_in_advance: true, invoiceable: false, regroup_paid_fees: "invoice" });
    const read = await runtime.plan.read(created.id, created.outs!);
    expect((await runtime.plan.diff(created.id, read.props!, regrouped)).changes).toBe(false);

    const plain = plan({});
    expect(await runtime.plan.diff(created.id, read.props!, plain)).toMatchObject({ changes: true, changed: ["charges"] });
    await runtime.plan.update(created.id, read.props!, plain);
    expect((await lagoCharge()).regroup_paid_fees).toBeNull();
  });
});
