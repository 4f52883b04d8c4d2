// The bad-input table: invalid specs across the kinds, each rejected by `check` with its path and a
// reason that says the fix, before any API call. Rows live in bad-input/<kind>.rows.ts.
import { beforeEach, describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/canonical";
import { useProviderRuntime } from "./harness";
import * as billableMetric from "./bad-input/billable-metric.rows";
import * as customer from "./bad-input/customer.rows";
import * as plan from "./bad-input/plan.rows";
import type { BadInputRow, KindName, ValidBase } from "./bad-input/rows";
import * as subscription from "./bad-input/subscription.rows";
import * as tax from "./bad-input/tax.rows";
import * as addOn from "./bad-input/add-on.rows";
import * as coupon from "./bad-input/coupon.rows";
import * as appliedCoupon from "./bad-input/applied-coupon.rows";
import * as webhookEndpoint from "./bad-input/webhook-endpoint.rows";
import * as organization from "./bad-input/organization.rows";
import * as wallet from "./bad-input/wallet.rows";

const { lago, runtime } = useProviderRuntime();

// One table per kind, keyed by kind so the compiler refuses a kind without one.
const tables: Record<KindName, { rows: BadInputRow[]; base: ValidBase }> = { billableMetric, customer, plan, subscription, tax, addOn, coupon, appliedCoupon, webhookEndpoint, organization, wallet };
const rows = Object.values(tables).flatMap((t) => t.rows);
const bases = Object.values(tables).map((t) => t.base);

const check = (kind: BadInputRow["kind"], args: Record<string, unknown>) => runtime[kind].check({}, { ...args, __provider: "serialized" });

beforeEach(() => lago.server.admin.reset());

describe("bad-input table", () => {
  it("has at least 30 rows", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(bases.map((b) => [b.kind, b] as const))("the %s base spec passes", async (_, b) => {
    expect((await check(b.kind, b.args)).failures).toEqual([]);
  });

  it.each(rows.map((r) => [`${r.kind}: ${r.name}`, r] as const))("%s", async (_, row) => {
    const result = await check(row.kind, row.args);
    expect(result.failures).toContainEqual(row.failure);
    expect(lago.server.admin.requests).toEqual([]); // rejected before any call to Lago
  });
});

describe("unknown values during preview pass check", () => {
  it("accepts unknowns where a value, a list or a whole object is not computed yet", async () => {
    const metric = { name: "MTU", code: UNKNOWN, aggregationType: UNKNOWN, fieldName: UNKNOWN, filters: UNKNOWN };
    expect((await check("billableMetric", metric)).failures).toEqual([]);
    const sumWithUnknownField = { name: "S", code: "s", aggregationType: "sum_agg", fieldName: UNKNOWN };
    expect((await check("billableMetric", sumWithUnknownField)).failures).toEqual([]);
    const customer = { externalId: UNKNOWN, currency: UNKNOWN, shippingAddress: UNKNOWN, metadata: [{ key: UNKNOWN, value: "v" }] };
    expect((await check("customer", customer)).failures).toEqual([]);
  });

  it("still reports what is known to be wrong next to unknowns", async () => {
    const result = await check("customer", { externalId: UNKNOWN, currency: "usd" });
    expect(result.failures).toEqual([{ property: "currency", reason: 'currency "usd" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")' }]);
  });
});
