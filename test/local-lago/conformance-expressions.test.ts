// Metric expressions as Lago v1.51.0 runs them: the lago-expression gem (its grammar.pest and evaluate.rs),
// called by app/services/events/calculate_expression_service.rb at ingestion and by
// app/services/billable_metrics/evaluate_expression_service.rb for POST /billable_metrics/evaluate_expression.
import { describe, expect, it } from "vitest";
import { evaluateExpression, parseExpression } from "../../local-lago/billing/expression";
import { createPlainPlan } from "../support/billing-fixtures";
import { useLocalLago } from "../support/local-lago";

const lago = useLocalLago({ resetEach: true });

const evaluate = (expression: unknown, event?: unknown) => lago.http("POST", "/billable_metrics/evaluate_expression", { expression, ...(event === undefined ? {} : { event }) });

describe("POST /billable_metrics/evaluate_expression (evaluate_expression_service.rb)", () => {
  it("answers a number as Lago's decimal text and a string as is", async () => {
    expect(await evaluate("round(event.properties.value)", { code: "bm", timestamp: 1700000000, properties: { value: "2.4" } })).toMatchObject({ status: 200, body: { expression_result: { value: "2.0" } } });
    expect((await evaluate("event.properties.a * 2 + event.timestamp", { code: "bm", timestamp: 10, properties: { a: 1.5 } })).body).toEqual({ expression_result: { value: "13.0" } });
    expect((await evaluate("concat(event.code, '-', event.properties.region)", { code: "calls", properties: { region: "eu" } })).body).toEqual({ expression_result: { value: "calls-eu" } });
    expect((await evaluate("ceil(event.properties.v, -2) + floor(1.99, 1) - round(-2.5)", { properties: { v: "1201" } })).body).toEqual({ expression_result: { value: "1304.9" } });
  });

  it("refuses a blank expression, an expression that does not parse, and an event the expression cannot use", async () => {
    const refused = (details: Record<string, string[]>) => ({ status: 422, body: { status: 422, error: "Unprocessable Entity", code: "validation_errors", error_details: details } });
    expect(await evaluate("", {})).toMatchObject(refused({ expression: ["value_is_mandatory"] }));
    for (const bad of ["1 +", "event.properties.", "round(1, 2, 3)", "sqrt(4)", "event.properties.a\t+ 1"]) expect(await evaluate(bad, {}), bad).toMatchObject(refused({ expression: ["invalid_expression"] }));
    expect(await evaluate("event.properties.missing + 1", { properties: {} })).toMatchObject(refused({ event: ["invalid_event"] }));
    // every test property arrives as text (to_s): text that is not a decimal cannot take part in arithmetic
    expect(await evaluate("event.properties.a + 1", { properties: { a: "ten" } })).toMatchObject(refused({ event: ["invalid_event"] }));
  });
});

describe("the expression grammar (lago-expression grammar.pest, parser.rs)", () => {
  const run = (expression: string, properties: Record<string, string | number> = {}) => {
    const parsed = parseExpression(expression);
    if (!parsed) throw new Error(`${expression} does not parse`);
    const result = evaluateExpression(parsed, { code: "c", timestamp: 0, properties });
    return result.kind === "number" ? result.value.toString() : result.value;
  };

  it("× and ÷ bind tighter than + and −, all left-associative; the unary minus binds to its operand", () => {
    expect(run("1 + 2 * 3 - 4 / 2")).toBe("5");
    expect(run("8 - 2 - 1")).toBe("5");
    expect(run("-2 * 3 + -(1 - 4)")).toBe("-3");
    expect(run("1 / 4 * 2")).toBe("0.5");
  });

  it("knows six functions in three spellings each, and only spaces between tokens", () => {
    expect(run("ROUND(2.5) + Ceil(0.1) + floor(-0.1) + LEAST(3, 1, 2) + Greatest(1, 5)")).toBe("9");
    expect(parseExpression("Round(1)")).toBeDefined();
    expect(parseExpression("rOUND(1)")).toBeUndefined();
    expect(parseExpression(" ( 1 +  2 ) ")).toBeDefined();
    expect(parseExpression("1\n+ 2")).toBeUndefined();
  });
});

describe("expressions at ingestion (events/calculate_expression_service.rb)", () => {
  async function setup() {
    const res = await lago.http("POST", "/billable_metrics", {
      billable_metric: { name: "Total", code: "total", aggregation_type: "sum_agg", field_name: "result", expression: "event.properties.left + event.properties.right" },
    });
    expect(res.status).toBe(200);
    await lago.client.customers.createCustomer({ customer: { external_id: "acme", currency: "USD" } as any });
    await createPlainPlan(lago, "p", 0, { charges: [{ billable_metric_id: res.body.billable_metric.lago_id, charge_model: "standard", properties: { amount: "1" } }] });
    await lago.client.subscriptions.createSubscription({ subscription: { external_customer_id: "acme", plan_code: "p", external_id: "s" } as any });
  }

  it("stores the result in the metric's field as decimal text, and usage sums it", async () => {
    await setup();
    const created = await lago.http("POST", "/events", { event: { transaction_id: "t1", code: "total", external_subscription_id: "s", properties: { left: "1", right: "2" } } });
    expect(created.status).toBe(200);
    expect(created.body.event.properties).toEqual({ left: "1", right: "2", result: "3.0" });
    expect((await lago.http("GET", "/events/t1")).body.event.properties.result).toBe("3.0");
    const usage = await lago.http("GET", "/customers/acme/current_usage?external_subscription_id=s");
    expect(usage.body.customer_usage.charges_usage[0]).toMatchObject({ units: "3.0", amount_cents: 300 });
  });

  it("refuses an event the expression cannot evaluate, with the gem's message, and stores nothing", async () => {
    await setup();
    const single = await lago.http("POST", "/events", { event: { transaction_id: "t1", code: "total", external_subscription_id: "s", properties: { left: "1" } } });
    expect(single).toMatchObject({ status: 422, body: { code: "validation_errors", error_details: "expression_evaluation_failed: Variable: right not found" } });
    const batch = await lago.http("POST", "/events/batch", {
      events: [
        { transaction_id: "t2", code: "total", external_subscription_id: "s", properties: { left: "1", right: "2" } },
        { transaction_id: "t3", code: "total", external_subscription_id: "s", properties: { left: "x", right: "2" } },
      ],
    });
    expect(batch).toMatchObject({ status: 422, body: { error_details: { "1": "expression_evaluation_failed: Expected a decimal" } } });
    expect((await lago.http("GET", "/events?code=total")).body.events).toEqual([]);
  });

  it("a metric's expression must parse (billable_metric.rb validates with Lago::ExpressionParser.validate)", async () => {
    const body = (expression: string) => ({ billable_metric: { name: "M", code: "m", aggregation_type: "sum_agg", field_name: "v", expression } });
    expect((await lago.http("POST", "/billable_metrics", body("round(event.properties.a * 2, 1)"))).status).toBe(200);
    const refused = await lago.http("POST", "/billable_metrics", { billable_metric: { ...body("event.properties.a +").billable_metric, code: "n" } });
    expect(refused).toMatchObject({ status: 422, body: { error_details: { expression: ["invalid_expression"] } } });
  });
});
