// lago-api.md §6: add-ons.
import type { AddOnBaseInput } from "lago-javascript-client";
import { describe, expect, it } from "vitest";
import { lagoError, useLocalLago } from "../support/local-lago";
import { notFound, unprocessable } from "../support/lago-errors";

const lago = useLocalLago({ resetEach: true });

const setup = { name: "Setup fee", code: "setup", amount_cents: 50000, amount_currency: "USD" } satisfies AddOnBaseInput;
const addOnNotFound = notFound("add_on_not_found");
const taxNotFound = notFound("tax_not_found");

async function createTax(code: string, rate = "20") {
  await lago.client.taxes.createTax({ tax: { name: code.toUpperCase(), code, rate } });
}

describe("§6 create", () => {
  it("creates an add-on and answers Lago's shape with its taxes", async () => {
    await createTax("vat");
    const { status, data } = await lago.client.addOns.createAddOn({ add_on: { ...setup, description: "One-off", tax_codes: ["vat"] } });
    expect(status).toBe(200);
    expect(data.add_on).toEqual({
      lago_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Setup fee",
      invoice_display_name: null,
      code: "setup",
      amount_cents: 50000,
      amount_currency: "USD",
      created_at: expect.stringMatching(/Z$/),
      description: "One-off",
      taxes: [expect.objectContaining({ code: "vat", rate: 20, add_ons_count: 0 })],
    });
  });

  it("requires name and code, a positive amount and a known currency", async () => {
    const res = await lago.http("POST", "/add_ons", { add_on: { amount_cents: 0, amount_currency: "usd" } });
    expect({ status: res.status, body: res.body }).toEqual(
      unprocessable({
        name: ["value_is_mandatory"],
        code: ["value_is_mandatory"],
        amount_cents: ["value_is_out_of_range"],
        amount_currency: ["value_is_invalid"],
      }),
    );
  });

  it("reports a missing amount with Rails' sentence, once per numericality check", async () => {
    const res = await lago.http("POST", "/add_ons", { add_on: { name: "A", code: "a", amount_currency: "EUR" } });
    expect(res.status).toBe(422);
    expect(res.body.error_details).toEqual({ amount_cents: ["is not a number", "is not a number"] });
  });

  it("refuses a live duplicate code but reuses a deleted one", async () => {
    await lago.client.addOns.createAddOn({ add_on: setup });
    expect(await lagoError(lago.client.addOns.createAddOn({ add_on: setup }))).toEqual(unprocessable({ code: ["value_already_exist"] }));
    await lago.client.addOns.destroyAddOn("setup");
    const again = await lago.client.addOns.createAddOn({ add_on: setup });
    expect(again.status).toBe(200);
  });

  it("answers 404 tax_not_found for an unknown tax code and creates nothing", async () => {
    expect(await lagoError(lago.client.addOns.createAddOn({ add_on: { ...setup, tax_codes: ["nope"] } }))).toEqual(taxNotFound);
    expect(await lagoError(lago.client.addOns.findAddOn("setup"))).toEqual(addOnNotFound);
  });

  it("checks the fields before the taxes", async () => {
    const res = await lago.http("POST", "/add_ons", { add_on: { ...setup, amount_cents: -1, tax_codes: ["nope"] } });
    expect({ status: res.status, body: res.body }).toEqual(unprocessable({ amount_cents: ["value_is_out_of_range"] }));
  });
});

describe("§6 read and list", () => {
  it("lists newest first and finds by code", async () => {
    const clock = lago.server.lago;
    const realNow = clock.now;
    try {
      clock.now = () => new Date("2025-01-01T00:00:00Z");
      await lago.client.addOns.createAddOn({ add_on: { ...setup, code: "old" } });
      clock.now = () => new Date("2025-01-02T00:00:00Z");
      await lago.client.addOns.createAddOn({ add_on: { ...setup, code: "new" } });
    } finally {
      clock.now = realNow;
    }
    const { data } = await lago.client.addOns.findAllAddOns();
    expect(data.add_ons.map((a) => a.code)).toEqual(["new", "old"]);
    expect(data.meta.total_count).toBe(2);
    expect((await lago.client.addOns.findAddOn("old")).data.add_on.created_at).toBe("2025-01-01T00:00:00Z");
  });
});

describe("§6 update", () => {
  it("is partial and can change every field, code and money included", async () => {
    await lago.client.addOns.createAddOn({ add_on: { ...setup, invoice_display_name: "Setup" } });
    const { data } = await lago.client.addOns.updateAddOn("setup", { add_on: { code: "onboarding", amount_cents: 100, amount_currency: "EUR" } });
    expect(data.add_on).toMatchObject({ name: "Setup fee", invoice_display_name: "Setup", code: "onboarding", amount_cents: 100, amount_currency: "EUR" });
    expect(await lagoError(lago.client.addOns.findAddOn("setup"))).toEqual(addOnNotFound);
  });

  it("replaces taxes when tax_codes is sent, [] clears them, absent keeps them", async () => {
    await createTax("vat");
    await createTax("gst", "5");
    await lago.client.addOns.createAddOn({ add_on: { ...setup, tax_codes: ["vat"] } });
    const kept = await lago.client.addOns.updateAddOn("setup", { add_on: { name: "Renamed" } });
    expect(kept.data.add_on.taxes?.map((t) => t.code)).toEqual(["vat"]);
    const replaced = await lago.client.addOns.updateAddOn("setup", { add_on: { tax_codes: ["gst"] } });
    expect(replaced.data.add_on.taxes?.map((t) => t.code)).toEqual(["gst"]);
    const cleared = await lago.client.addOns.updateAddOn("setup", { add_on: { tax_codes: [] } });
    expect(cleared.data.add_on.taxes).toEqual([]);
  });

  it("rolls the whole update back when a tax is unknown", async () => {
    await lago.client.addOns.createAddOn({ add_on: setup });
    expect(await lagoError(lago.client.addOns.updateAddOn("setup", { add_on: { name: "Changed", tax_codes: ["nope"] } }))).toEqual(taxNotFound);
    expect((await lago.client.addOns.findAddOn("setup")).data.add_on.name).toBe("Setup fee");
  });

  it("reads the body first: no add_on root is a 400 even for an unknown code", async () => {
    const res = await lago.http("PUT", "/add_ons/nope", {});
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: add_on" },
    });
  });

  it("refuses an invalid amount and answers 404 for an unknown add-on", async () => {
    await lago.client.addOns.createAddOn({ add_on: setup });
    expect(await lagoError(lago.client.addOns.updateAddOn("setup", { add_on: { amount_cents: 0 } }))).toEqual(unprocessable({ amount_cents: ["value_is_out_of_range"] }));
    expect(await lagoError(lago.client.addOns.updateAddOn("nope", { add_on: { name: "x" } }))).toEqual(addOnNotFound);
  });
});

describe("§6 delete", () => {
  it("soft-deletes: 200 with the add-on, then 404 add_on_not_found", async () => {
    await lago.client.addOns.createAddOn({ add_on: setup });
    const { status, data } = await lago.client.addOns.destroyAddOn("setup");
    expect(status).toBe(200);
    expect(data.add_on.code).toBe("setup");
    expect(await lagoError(lago.client.addOns.findAddOn("setup"))).toEqual(addOnNotFound);
    expect(await lagoError(lago.client.addOns.destroyAddOn("setup"))).toEqual(addOnNotFound);
    expect((await lago.client.addOns.findAllAddOns()).data.add_ons).toEqual([]);
  });
});
