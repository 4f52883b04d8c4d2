// The kinds issue #11 adds, through the real Pulumi engine against a local Lago, in ONE stack (an engine run per
// step for all kinds at once keeps `npm test` fast): create, a no-op preview with no Lago call, an in-place update,
// a change Lago silently does not apply caught at apply, drift repaired by refresh and up, adoption of an object
// made outside the stack, a guarded delete refused then allowed. Steps run in order on one stack.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offlineStack } from "../../provider/engine";
import { ensurePulumiCli } from "../../provider/pulumi-cli";
import { EngineRecorder, type EngineCallbacks, useLocalLagoWithOwnKey } from "./support/engine";
import { catalogKindsProgram, HOOK_URL, type CatalogKindsDesired } from "./support/catalog-kinds-program";

// Outside the checkout: the provider host then resolves pulumi-lago through the engine's NODE_PATH (this checkout),
// never through a pulumi-lago a parent directory's node_modules may hold.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-lago-catalog-kinds-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const lago = useLocalLagoWithOwnKey();
const desired: CatalogKindsDesired = { tax: { rate: "20", name: "VAT" }, addOn: { amountCents: 50000, taxed: true }, coupon: { amountCents: 1000, name: "Launch" }, appliedCoupon: {}, webhook: { eventTypes: ["invoice.created"] }, organization: { netPaymentTerm: 30 }, wallet: { name: "Prepaid", interval: "monthly" } };
const recorder = new EngineRecorder();
let stack: Stack;

async function operation<T>(run: (on: EngineCallbacks) => Promise<T>): Promise<{ result: T; writes: string[]; calls: string[] }> {
  const before = lago.server.admin.requests.length;
  const result = await recorder.run(run);
  const calls = lago.server.admin.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/^\/api\/v1/, "")}`);
  return { result, calls, writes: calls.filter((c) => !c.startsWith("GET ")) };
}

/** Runs `up` expecting it to fail; returns everything the engine printed. */
async function failingUp(): Promise<string> {
  const before = recorder.transcript.length;
  await expect(recorder.run((on) => stack.up(on))).rejects.toThrow();
  const printed = recorder.transcript.slice(before).join("\n");
  return printed;
}

beforeAll(async () => {
  // The customer coupons are applied to, made outside the stack.
  expect((await lago.http("POST", "/customers", { customer: { external_id: "acme", name: "Acme", currency: "USD" } })).status).toBe(200);
  stack = await offlineStack({
    stateDir: path.join(scratch, "state"),
    projectName: "catalog-kinds",
    stackName: "dev",
    passphrase: "catalog-kinds-e2e",
    program: catalogKindsProgram(desired),
    cli: await ensurePulumiCli({ acquire: false }),
    lago: { apiUrl: lago.server.apiUrl, apiKey: lago.server.apiKey },
  });
});

const taxRows = async () => (await lago.client.taxes.findAllTaxes()).data.taxes.map((t) => t.code).sort();
const addOnRows = async () => (await lago.client.addOns.findAllAddOns()).data.add_ons.map((a) => a.code).sort();
const couponRows = async () => (await lago.client.coupons.findAllCoupons()).data.coupons.map((c) => c.code).sort();
const hooks = async () => (await lago.http("GET", "/webhook_endpoints")).body.webhook_endpoints as Array<{ lago_id: string; webhook_url: string; event_types: string[] | null }>;
const org = async () => (await lago.http("GET", "/organizations")).body.organization as { net_payment_term: number; document_number_prefix: string; billing_configuration: { invoice_footer: string | null } };
const coupon = async (code = "launch") => (await lago.client.coupons.findCoupon(code)).data.coupon;
const wallets = async (customer = "acme") => (await lago.http("GET", `/wallets?external_customer_id=${customer}`)).body.wallets as Array<{ lago_id: string; name: string | null; status: string; credits_balance: string; recurring_transaction_rules: Array<{ lago_id: string; interval: string }> }>;
const acmeApplications = async () => (await lago.http("GET", "/applied_coupons?external_customer_id=acme")).body.applied_coupons as Array<{ lago_id: string; coupon_code: string; status: string }>;

describe("the catalog kinds' lifecycle through the Pulumi engine", { timeout: 180_000 }, () => {
  it("up creates each object with one call", async () => {
    const { result, writes } = await operation((on) => stack.up(on));
    expect(result.summary.resourceChanges).toEqual({ create: 8 }); // the tax, the add-on, the coupon, its application, the webhook endpoint, the organization, the wallet, the stack
    // The organization always exists: its settings are written, nothing is created.
    expect([...writes].sort()).toEqual(["POST /add_ons", "POST /applied_coupons", "POST /coupons", "POST /taxes", "POST /wallets", "POST /webhook_endpoints", "PUT /organizations"]);
    expect(await wallets()).toEqual([expect.objectContaining({ name: "Prepaid", status: "active", credits_balance: "50.0", recurring_transaction_rules: [expect.objectContaining({ interval: "monthly" })] })]);
    expect(result.outputs.walletBalanceCents!.value).toBe(0); // Lago answers the POST before its job grants the credits; refresh reads them
    expect(await org()).toMatchObject({ net_payment_term: 30, document_number_prefix: "CAT", billing_configuration: { invoice_footer: "Thank you for your business" } });
    expect(writes.indexOf("POST /applied_coupons")).toBeGreaterThan(writes.indexOf("POST /coupons"));
    expect(writes.indexOf("POST /add_ons")).toBeGreaterThan(writes.indexOf("POST /taxes")); // the add-on names the tax's code
    expect((await lago.client.taxes.findTax("vat")).data.tax).toMatchObject({ name: "VAT", rate: 20, description: "Standard VAT" });
    expect((await lago.client.addOns.findAddOn("onboarding")).data.add_on).toMatchObject({ amount_cents: 50000, amount_currency: "USD", taxes: [expect.objectContaining({ code: "vat" })] });
    expect(await coupon()).toMatchObject({ coupon_type: "fixed_amount", amount_cents: 1000, frequency: "recurring", frequency_duration: 3, expiration: "no_expiration" });
    expect(await acmeApplications()).toEqual([expect.objectContaining({ coupon_code: "launch", status: "active" })]);
    expect(result.outputs.appliedCouponStatus!.value).toBe("active");
    expect(await hooks()).toEqual([expect.objectContaining({ webhook_url: HOOK_URL, event_types: ["invoice.created"] })]);
    // The endpoint's URL (it carries a token) is a secret in the outputs and in the state.
    expect(result.outputs.webhookUrl).toEqual({ value: HOOK_URL, secret: true });
    const checkpoint = fs.readFileSync(path.join(scratch, "state", ".pulumi", "stacks", "catalog-kinds", "dev.json"), "utf8");
    expect(checkpoint).toContain("billing-hook");
    expect(checkpoint).not.toContain("hook-t0k3n");
  });

  it("a preview of the unchanged stack shows no change and makes no Lago call", async () => {
    const { result, calls } = await operation((on) => stack.preview(on));
    expect(result.changeSummary).toEqual({ same: 8 });
    expect(calls).toEqual([]);
  });

  // An applied coupon has no update in Lago: its changes are replaces, guarded (applied-coupon.test.ts).
  it("in-place updates: one write per changed object", async () => {
    desired.tax = { rate: "21.5", name: "VAT" };
    desired.addOn = { amountCents: 45000, taxed: true };
    desired.coupon = { amountCents: 1000, name: "Launch 2026" }; // applied already: only its name and description change in place
    desired.webhook = { eventTypes: ["invoice.created", "invoice.drafted"] };
    desired.organization = { netPaymentTerm: 45 };
    desired.wallet = { name: "Prepaid credit", interval: "quarterly" };
    const [{ lago_id: walletId, recurring_transaction_rules: [rule] }] = (await wallets()) as [Awaited<ReturnType<typeof wallets>>[number]];
    const { result, writes } = await operation((on) => stack.up(on));
    expect(result.summary.resourceChanges).toEqual({ same: 2, update: 6 });
    const hookId = (await hooks())[0]!.lago_id;
    expect([...writes].sort()).toEqual(["PUT /add_ons/onboarding", "PUT /coupons/launch", "PUT /organizations", "PUT /taxes/vat", `PUT /wallets/${walletId}`, `PUT /webhook_endpoints/${hookId}`]);
    // The rule changed in place (same lago_id), and the credits granted at creation were not granted again.
    expect(await wallets()).toEqual([expect.objectContaining({ name: "Prepaid credit", credits_balance: "50.0", recurring_transaction_rules: [expect.objectContaining({ lago_id: rule!.lago_id, interval: "quarterly" })] })]);
    expect((await org()).net_payment_term).toBe(45);
    expect((await hooks())[0]!.event_types).toEqual(["invoice.created", "invoice.drafted"]);
    expect((await coupon()).amount_cents).toBe(1000);
    expect((await lago.client.taxes.findTax("vat")).data.tax.rate).toBe(21.5);
    expect((await lago.client.addOns.findAddOn("onboarding")).data.add_on.amount_cents).toBe(45000);
  });

  // Lago applies every field of an add-on (add_ons/update_service.rb): it has no silent ignore to catch.
  it("what Lago silently does not apply fails the step, naming it; Lago's value is recorded and the next up converges", async () => {
    desired.tax = { rate: "21.12345678901234567", name: "VAT" };
    const printed = await failingUp();
    expect(printed).toContain('Tax code "vat": update did not apply rate (asked "21.12345678901234567", Lago has 21.123456789012344): Lago stores a rate as a float');
    desired.tax = { rate: "21.5", name: "VAT" };
    const { result, writes } = await operation((on) => stack.up(on));
    expect(result.summary.resourceChanges).toEqual({ same: 7, update: 1 });
    expect(writes).toEqual(["PUT /taxes/vat"]);
  });

  it("a wallet rule Lago drops without a premium licence fails the step, naming it and why; with the licence the next up applies it", async () => {
    lago.server.lago.premium = false; // as a self-hosted Lago without a licence: its PUT answers 200 and keeps the old rule
    desired.wallet = { name: "Prepaid credit", interval: "yearly" };
    const printed = await failingUp();
    expect(printed).toContain('Wallet "Prepaid credit" USD wallet of customer "acme": update did not apply recurringTransactionRules');
    expect(printed).toContain("Lago keeps recurring transaction rules only with a premium licence");
    expect((await wallets())[0]!.recurring_transaction_rules.map((r) => r.interval)).toEqual(["quarterly"]);
    lago.server.lago.premium = true;
    const { result, writes } = await operation((on) => stack.up(on));
    expect(result.summary.resourceChanges).toEqual({ same: 7, update: 1 });
    expect(writes).toEqual([`PUT /wallets/${(await wallets())[0]!.lago_id}`]);
    expect((await wallets())[0]!.recurring_transaction_rules.map((r) => r.interval)).toEqual(["yearly"]);
  });

  it("a coupon edit Lago would ignore once applied is refused before any write, saying why", async () => {
    desired.coupon = { amountCents: 2000, name: "Launch" };
    const before = lago.server.admin.requests.length;
    const printed = await failingUp();
    expect(printed).toContain("refusing to replace it to change amountCents (amountCents cannot change in place: it has been applied to acme, and Lago keeps a coupon's amountCents once it has been applied");
    expect(lago.server.admin.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
    expect((await coupon()).amount_cents).toBe(1000);
    desired.coupon = { amountCents: 1000, name: "Launch 2026" };
  });

  it("drift made in Lago shows on refresh and up puts the program's values back", async () => {
    await lago.client.taxes.updateTax("vat", { tax: { name: "Edited in the UI" } });
    await lago.client.addOns.updateAddOn("onboarding", { add_on: { amount_cents: 1, tax_codes: [] } });
    await lago.client.coupons.updateCoupon("launch", { coupon: { name: "Edited in the UI" } });
    const hookId = (await hooks())[0]!.lago_id;
    await lago.http("PUT", `/webhook_endpoints/${hookId}`, { webhook_endpoint: { event_types: ["*"] } });
    await lago.http("PUT", "/organizations", { organization: { net_payment_term: 7 } });
    const walletId = (await wallets())[0]!.lago_id;
    await lago.http("PUT", `/wallets/${walletId}`, { wallet: { name: "Edited in the UI" } });
    const refresh = await operation((on) => stack.refresh(on));
    expect(refresh.result.summary.resourceChanges).toEqual({ same: 2, update: 6 });
    expect(refresh.writes).toEqual([]);
    const preview = await operation((on) => stack.preview(on));
    expect(preview.result.changeSummary).toEqual({ same: 2, update: 6 });
    const { writes } = await operation((on) => stack.up(on));
    expect([...writes].sort()).toEqual(["PUT /add_ons/onboarding", "PUT /coupons/launch", "PUT /organizations", "PUT /taxes/vat", `PUT /wallets/${walletId}`, `PUT /webhook_endpoints/${hookId}`]);
    expect((await wallets())[0]!.name).toBe("Prepaid credit");
    expect((await org()).net_payment_term).toBe(45);
    expect((await hooks())[0]!.event_types).toEqual(["invoice.created", "invoice.drafted"]);
    expect((await coupon()).name).toBe("Launch 2026");
    expect((await lago.client.taxes.findTax("vat")).data.tax.name).toBe("VAT");
    expect((await lago.client.addOns.findAddOn("onboarding")).data.add_on).toMatchObject({ amount_cents: 45000, taxes: [expect.objectContaining({ code: "vat" })] });
  });

  it("adopt: true takes over objects made outside the stack, converging them without creating", async () => {
    const outsideTax = (await lago.client.taxes.createTax({ tax: { name: "Reduced", code: "vat_reduced", rate: "5" } })).data.tax;
    const outsideAddOn = (await lago.client.addOns.createAddOn({ add_on: { name: "Old training", code: "training", amount_cents: 100, amount_currency: "USD" } })).data.add_on;
    const outsideCoupon = (await lago.http("POST", "/coupons", { coupon: { name: "Old welcome", code: "welcome", coupon_type: "fixed_amount", amount_cents: 100, amount_currency: "USD", frequency: "once", expiration: "no_expiration" } })).body.coupon;
    desired.adoptedTax = { rate: "5.5" };
    desired.adoptedAddOn = { amountCents: 20000 };
    desired.adoptedCoupon = { amountCents: 500 };
    const outsideHook = (await lago.http("POST", "/webhook_endpoints", { webhook_endpoint: { webhook_url: "https://crm.example.com/lago", signature_algo: "hmac" } })).body.webhook_endpoint;
    desired.adoptedWebhook = { url: "https://crm.example.com/lago" };
    await lago.http("POST", "/customers", { customer: { external_id: "initech", name: "Initech", currency: "USD" } });
    const outsideWallet = (await lago.http("POST", "/wallets", { wallet: { external_customer_id: "initech", currency: "USD", rate_amount: "1", name: "Old credit", granted_credits: "30" } })).body.wallet;
    desired.adoptedWallet = { name: "Credit" };
    const { result, writes } = await operation((on) => stack.up(on));
    expect(result.summary.resourceChanges).toEqual({ same: 8, create: 5 });
    // With adopt: true the key is looked up first (no POST Lago would refuse), and the object converged in place.
    expect([...writes].sort()).toEqual([
      "PUT /add_ons/training", "PUT /coupons/welcome", "PUT /taxes/vat_reduced", `PUT /wallets/${outsideWallet.lago_id}`, // the endpoint already holds what is asked
    ]);
    // The wallet is looked up first (Lago's POST would open a second one): taken over as it is, its name converged, nothing granted.
    expect(await wallets("initech")).toEqual([expect.objectContaining({ lago_id: outsideWallet.lago_id, name: "Credit", credits_balance: "30.0" })]);
    expect((await hooks()).find((h) => h.webhook_url === "https://crm.example.com/lago")).toMatchObject({ lago_id: outsideHook.lago_id });
    expect(await coupon("welcome")).toMatchObject({ lago_id: outsideCoupon.lago_id, name: "Welcome", amount_cents: 500 });
    expect(await couponRows()).toEqual(["launch", "welcome"]);
    expect((await lago.client.taxes.findTax("vat_reduced")).data.tax).toMatchObject({ lago_id: outsideTax.lago_id, name: "Reduced VAT", rate: 5.5 });
    expect((await lago.client.addOns.findAddOn("training")).data.add_on).toMatchObject({ lago_id: outsideAddOn.lago_id, name: "Training", amount_cents: 20000 });
    expect(await taxRows()).toEqual(["vat", "vat_reduced"]);
    expect(await addOnRows()).toEqual(["onboarding", "training"]);

    // An application made outside the stack: looked up first (Lago's POST would apply the coupon again), no write.
    const outsideApplication = (await lago.http("POST", "/applied_coupons", { applied_coupon: { external_customer_id: "acme", coupon_code: "welcome" } })).body.applied_coupon;
    desired.adoptedAppliedCoupon = true;
    const adopted = await operation((on) => stack.up(on));
    expect(adopted.result.summary.resourceChanges).toEqual({ same: 13, create: 1 });
    expect(adopted.writes).toEqual([]);
    const state = (await stack.exportStack()).deployment.resources as Array<{ urn: string; id?: string }>;
    expect(state.find((r) => r.urn.endsWith("acme-welcome"))!.id).toBe(outsideApplication.lago_id);
  });

  it("an application Lago ends (a coupon used up) is refreshed as terminated and never applied again", async () => {
    const welcome = (await acmeApplications()).find((a) => a.coupon_code === "welcome")!;
    await lago.http("DELETE", `/customers/acme/applied_coupons/${welcome.lago_id}`);
    const refresh = await operation((on) => stack.refresh(on));
    expect(refresh.writes).toEqual([]);
    const state = (await stack.exportStack()).deployment.resources as Array<{ urn: string; outputs?: Record<string, unknown> }>;
    expect(state.find((r) => r.urn.endsWith("acme-welcome"))!.outputs).toMatchObject({ status: "terminated", terminatedAt: expect.any(String) });
    const preview = await operation((on) => stack.preview(on));
    expect(preview.result.changeSummary).toEqual({ same: 14 });
    const up = await operation((on) => stack.up(on));
    expect(up.writes).toEqual([]);
    expect((await acmeApplications()).filter((a) => a.coupon_code === "welcome").map((a) => a.status)).toEqual(["terminated"]);
  });

  it("a second declaration of the organization is an error at preview, before any Lago call", async () => {
    desired.organization = { netPaymentTerm: 45, twice: true };
    const before = lago.server.admin.requests.length;
    await expect(recorder.run((on) => stack.preview(on))).rejects.toThrow(/Organization "org-again": the organization is already declared in this stack \(as "org"\)/);
    expect(lago.server.admin.requests.slice(before)).toEqual([]);
    desired.organization = { netPaymentTerm: 45 };
  });

  it("deleting what billing depends on is refused, naming the loss; allowDestroy then lets it go", async () => {
    desired.organization = undefined;
    expect(await failingUp()).toContain("Organization the organization: refusing to delete it: Lago keeps its organization and these settings as they are");
    desired.organization = { netPaymentTerm: 45, allowDestroy: true };
    expect((await operation((on) => stack.up(on))).writes).toEqual([]);
    desired.organization = undefined;
    expect((await operation((on) => stack.up(on))).writes).toEqual([]); // the organization leaves the stack; Lago keeps it as it is
    expect((await org()).net_payment_term).toBe(45);

    const addOn = (await lago.client.addOns.findAddOn("onboarding")).data.add_on;
    const plan = { name: "Team", code: "team", interval: "monthly", amount_cents: 0, amount_currency: "USD", pay_in_advance: false };
    await lago.http("POST", "/plans", { plan: { ...plan, fixed_charges: [{ add_on_id: addOn.lago_id, charge_model: "standard", units: 1, properties: { amount: "10" } }] } });
    await lago.http("POST", "/customers", { customer: { external_id: "acme", name: "Acme", tax_codes: ["vat"] } });

    desired.webhook = undefined;
    expect(await failingUp()).toContain('WebhookEndpoint webhook_url "https://billing.example.com/lago": refusing to delete it: Lago stops sending billing events to it');
    desired.webhook = { eventTypes: ["invoice.created", "invoice.drafted"], allowDestroy: true };
    expect((await operation((on) => stack.up(on))).writes).toEqual([]);
    desired.webhook = undefined;
    expect((await operation((on) => stack.up(on))).writes).toEqual([expect.stringMatching(/^DELETE \/webhook_endpoints\/[0-9a-f-]+$/)]);
    expect((await hooks()).map((h) => h.webhook_url)).toEqual(["https://crm.example.com/lago"]);

    desired.appliedCoupon = undefined;
    expect(await failingUp()).toContain('AppliedCoupon coupon "launch" on customer "acme": refusing to delete it: customer "acme" still has coupon "launch" active (for 3 more period(s)); removing it ends that discount');
    desired.appliedCoupon = { allowDestroy: true };
    expect((await operation((on) => stack.up(on))).writes).toEqual([]);
    desired.appliedCoupon = undefined;
    const removed = await operation((on) => stack.up(on));
    expect(removed.writes).toEqual([expect.stringMatching(/^DELETE \/customers\/acme\/applied_coupons\/[0-9a-f-]+$/)]);
    expect((await acmeApplications()).find((a) => a.coupon_code === "launch")!.status).toBe("terminated");

    await lago.http("POST", "/customers", { customer: { external_id: "globex", name: "Globex", currency: "USD" } });
    await lago.http("POST", "/applied_coupons", { applied_coupon: { external_customer_id: "globex", coupon_code: "launch" } });
    desired.coupon = undefined;
    expect(await failingUp()).toContain('Coupon code "launch": refusing to delete it: it has been applied to globex (active); deleting it terminates those applied coupons');
    desired.coupon = { amountCents: 1000, name: "Launch 2026" };
    desired.addOn = undefined;
    expect(await failingUp()).toContain('AddOn code "onboarding": refusing to delete it: plan team bills it as a fixed charge; deleting the add-on deletes those fixed charges');
    desired.addOn = { amountCents: 45000, taxed: false };
    desired.tax = undefined;
    expect(await failingUp()).toContain('Tax code "vat": refusing to delete it: customers acme use it');
    expect(await taxRows()).toEqual(["vat", "vat_reduced"]);
    expect(await addOnRows()).toEqual(["onboarding", "training"]);

    desired.tax = { rate: "21.5", name: "VAT", allowDestroy: true };
    desired.addOn = { amountCents: 45000, taxed: false, allowDestroy: true }; // the refused up already untaxed it
    desired.coupon = { amountCents: 1000, name: "Launch 2026", allowDestroy: true };
    const allowed = await operation((on) => stack.up(on));
    expect(allowed.writes).toEqual([]); // provider options: nothing to write
    desired.tax = undefined;
    desired.addOn = undefined;
    desired.coupon = undefined;
    const { writes } = await operation((on) => stack.up(on));
    expect([...writes].sort()).toEqual(["DELETE /add_ons/onboarding", "DELETE /coupons/launch", "DELETE /taxes/vat"]);
    // No order between them: the add-on was untaxed above, so nothing links it to the tax any more and the engine
    // deletes the three in parallel.
    expect(await couponRows()).toEqual(["welcome"]);
    expect((await lago.http("GET", "/applied_coupons?external_customer_id=globex")).body.applied_coupons[0]).toMatchObject({ coupon_code: "launch", status: "terminated" });
    expect(await taxRows()).toEqual(["vat_reduced"]);
    expect(await addOnRows()).toEqual(["training"]);
  });

  it("terminating a wallet is refused naming the credit lost; allowDestroy then lets Lago terminate it", async () => {
    desired.wallet = undefined;
    expect(await failingUp()).toContain('Wallet "Prepaid credit" USD wallet of customer "acme": refusing to delete it: customer "acme" still holds 50.0 credits in it (50.00 USD)');
    expect((await wallets())[0]!.status).toBe("active");
    desired.wallet = { name: "Prepaid credit", interval: "yearly", allowDestroy: true };
    expect((await operation((on) => stack.up(on))).writes).toEqual([]);
    desired.wallet = undefined;
    const walletId = (await wallets())[0]!.lago_id;
    expect((await operation((on) => stack.up(on))).writes).toEqual([`DELETE /wallets/${walletId}`]);
    expect(await wallets()).toEqual([expect.objectContaining({ lago_id: walletId, status: "terminated", recurring_transaction_rules: [] })]);
    expect((await wallets("initech"))[0]!.status).toBe("active"); // the adopted wallet stays in the stack
  });
});
