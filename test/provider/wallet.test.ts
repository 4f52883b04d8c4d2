// Wallet through the provider's CRUD against the local Lago (app/services/wallets/*, app/controllers/concerns/wallet_actions.rb).
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/canonical";
import { PartialWriteError } from "../../provider/kind";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const monthly = { trigger: "interval", interval: "monthly", paidCredits: "20" };
const prepaid = { externalCustomerId: "acme", currency: "USD", rateAmount: "1", name: "Prepaid", grantedCredits: "50", recurringTransactionRules: [monthly] };
const writes = (calls: string[]) => calls.filter((c) => !c.startsWith("GET "));

describe("Wallet with a premium licence", () => {
  const { lago, runtime } = useProviderRuntime();
  const wallets = () => runtime.wallet;
  const customer = async (external_id = "acme") => expect((await lago.http("POST", "/customers", { customer: { external_id, name: external_id, currency: "USD" } })).status).toBe(200);
  const walletOf = async (id: string) => (await lago.client.wallets.findWallet(id)).data.wallet;
  const walletsOf = async (externalCustomerId = "acme") => (await lago.http("GET", `/wallets?external_customer_id=${externalCustomerId}`)).body.wallets as Array<Record<string, any>>;

  it("create → read equals → no-op diff → in-place update of the name and the rule → guarded then opted-in delete naming the balance", async () => {
    await customer();
    const start = apiRequests(lago).length;
    const created = await wallets().create({ ...prepaid, __provider: "x" });
    expect(apiRequests(lago).slice(start)).toEqual(["GET /wallets", "POST /wallets"]); // looked up first: Lago's POST would open a second wallet
    const remote = await walletOf(created.id);
    expect(remote).toMatchObject({ external_customer_id: "acme", currency: "USD", name: "Prepaid", status: "active" });
    expect(remote.recurring_transaction_rules).toEqual([expect.objectContaining({ trigger: "interval", interval: "monthly", method: "fixed", paid_credits: "20.0", granted_credits: "0.0" })]);
    // Lago answers the POST before its top-up job grants the credits (wallets/create_service.rb schedule_top_up).
    expect(created.outs).toEqual({
      ...prepaid, lagoId: remote.lago_id, status: "active", balanceCents: 0, creditsBalance: "0.0", ongoingBalanceCents: 0,
      createdAt: remote.created_at, terminatedAt: null, [STATE_VERSION_KEY]: STATE_VERSION,
    });

    // Refresh reads the balance once granted.
    const read = await wallets().read(created.id, created.outs);
    expect(read.props).toEqual({ ...created.outs, balanceCents: 5000, creditsBalance: "50.0", ongoingBalanceCents: 5000 });
    expect(read.inputs).toMatchObject({ grantedCredits: "50" }); // kept from the state: Lago holds no such field
    expect((await wallets().diff(created.id, read.props!, prepaid)).changes).toBe(false);

    const ruleId = remote.recurring_transaction_rules![0]!.lago_id;
    const edited = { ...prepaid, name: "Prepaid credit", recurringTransactionRules: [{ ...monthly, interval: "quarterly", grantedCredits: "5" }] };
    expect(await wallets().diff(created.id, read.props!, edited)).toMatchObject({ changes: true, changed: ["name", "recurringTransactionRules"], replaces: [] });
    const before = apiRequests(lago).length;
    const updated = await wallets().update(created.id, read.props!, edited);
    expect(writes(apiRequests(lago).slice(before))).toEqual([`PUT /wallets/${created.id}`]);
    const after = await walletOf(created.id);
    expect(after.name).toBe("Prepaid credit");
    // The rule is updated in place (its lago_id is sent), not terminated and created again.
    expect(after.recurring_transaction_rules).toEqual([expect.objectContaining({ lago_id: ruleId, interval: "quarterly", paid_credits: "20.0", granted_credits: "5.0" })]);

    const balance = `${after.credits_balance} credits in it`;
    expect(await failure(wallets().delete(created.id, updated.outs!))).toContain(`Wallet "Prepaid credit" USD wallet of customer "acme": refusing to delete it: customer "acme" still holds ${balance}`);
    const optedIn = await wallets().update(created.id, updated.outs!, { ...edited, allowDestroy: true });
    const beforeDelete = apiRequests(lago).length;
    await wallets().delete(created.id, optedIn.outs!);
    expect(writes(apiRequests(lago).slice(beforeDelete))).toEqual([`DELETE /wallets/${created.id}`]);
    expect(await walletOf(created.id)).toMatchObject({ status: "terminated", terminated_at: expect.any(String) });
  });

  it("granted credits reach the balance, and the guard says what would be lost", async () => {
    await customer();
    const created = await wallets().create({ ...prepaid, recurringTransactionRules: undefined });
    const remote = await walletOf(created.id);
    expect(remote.credits_balance).toBe("50.0");
    expect(remote.balance_cents).toBe(5000);
    const read = await wallets().read(created.id, created.outs!);
    expect(read.props).toMatchObject({ creditsBalance: "50.0", balanceCents: 5000 });
    expect(await failure(wallets().delete(created.id, read.props!))).toBe(
      'Wallet "Prepaid" USD wallet of customer "acme": refusing to delete it: customer "acme" still holds 50.0 credits in it (50.00 USD); terminating the wallet loses that prepaid credit and ends its recurring top-ups. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.',
    );
  });

  it("a change of the creation-only credits is refused at preview, before any write", async () => {
    await customer();
    const created = await wallets().create(prepaid);
    const before = apiRequests(lago).length;
    expect(await failure(wallets().diff(created.id, created.outs!, { ...prepaid, grantedCredits: "80" }))).toBe(
      'Wallet "Prepaid" USD wallet of customer "acme": grantedCredits (declared "80", created with "50") cannot change: Lago grants a wallet\'s paidCredits and grantedCredits once, when it is created, and changing them here would neither top it up nor take credit back. Put the created value back (or remove the argument); top up with a wallet transaction (Lago\'s POST /wallet_transactions) or a recurring transaction rule',
    );
    expect(await failure(wallets().diff(created.id, created.outs!, { ...prepaid, paidCredits: "10" }))).toContain('paidCredits (declared "10", created with null) cannot change');
    // The same value spelled otherwise, or the argument removed, is no change.
    expect((await wallets().diff(created.id, created.outs!, { ...prepaid, grantedCredits: "50.00" })).changes).toBe(false);
    expect((await wallets().diff(created.id, created.outs!, { ...prepaid, grantedCredits: undefined })).changes).toBe(false);
    expect(writes(apiRequests(lago).slice(before))).toEqual([]);
  });

  it("the currency and the rate, which Lago's PUT does not permit, replace the wallet: guarded while it holds credit", async () => {
    await customer();
    const created = await wallets().create(prepaid);
    for (const change of [{ currency: "EUR" }, { rateAmount: "2" }]) {
      const message = await failure(wallets().diff(created.id, created.outs!, { ...prepaid, ...change }));
      expect(message).toContain(`refusing to replace it to change ${Object.keys(change)[0]}: customer "acme" still holds 50.0 credits in it`);
    }
    const optedIn = await wallets().update(created.id, created.outs!, { ...prepaid, allowDestroy: true });
    expect(await wallets().diff(created.id, optedIn.outs!, { ...prepaid, rateAmount: "2", allowDestroy: true })).toMatchObject({ changes: true, replaces: ["rateAmount"], deleteBeforeReplace: true });
    // The same rate spelled otherwise is no change.
    expect((await wallets().diff(created.id, created.outs!, { ...prepaid, rateAmount: "1.00" })).changes).toBe(false);
  });

  it("drift made in Lago shows on refresh: name, expiration and rules", async () => {
    await customer();
    const created = await wallets().create(prepaid);
    const ruleId = (await walletOf(created.id)).recurring_transaction_rules![0]!.lago_id;
    await lago.http("PUT", `/wallets/${created.id}`, {
      wallet: { name: "Edited in the UI", expiration_at: "2099-01-01T00:00:00Z", recurring_transaction_rules: [{ lago_id: ruleId, trigger: "threshold", threshold_credits: "10" }] },
    });
    const read = await wallets().read(created.id, created.outs!);
    expect(read.inputs).toMatchObject({ name: "Edited in the UI", recurringTransactionRules: [expect.objectContaining({ trigger: "threshold", thresholdCredits: "10.0" })] });
    const diff = await wallets().diff(created.id, read.props!, prepaid);
    expect(diff).toMatchObject({ changes: true, changed: ["name", "recurringTransactionRules"], replaces: [] });
    // An expiration is drift only once the program manages it.
    const withExpiration = { ...prepaid, expirationAt: "2098-01-01T00:00:00Z" };
    const managed = await wallets().read(created.id, { ...created.outs!, expirationAt: "2098-01-01T00:00:00Z" });
    expect(managed.inputs).toMatchObject({ expirationAt: "2099-01-01T00:00:00Z" });
    expect((await wallets().diff(created.id, managed.props!, withExpiration)).changed).toContain("expirationAt");
    // up puts the program's values back.
    await wallets().update(created.id, read.props!, prepaid);
    expect(await walletOf(created.id)).toMatchObject({ name: "Prepaid", recurring_transaction_rules: [expect.objectContaining({ trigger: "interval", interval: "monthly" })] });
  });

  it("a threshold rule topping up to a target, with its dates, reads back as declared; it then becomes an interval rule in place", async () => {
    await customer();
    const target = { trigger: "threshold", thresholdCredits: "10", method: "target", targetOngoingBalance: "100", startedAt: "2026-01-01T00:00:00Z", expirationAt: "2099-06-30T00:00:00Z" };
    const args = { ...prepaid, expirationAt: "2099-12-31T00:00:00Z", invoiceRequiresSuccessfulPayment: true, recurringTransactionRules: [target] };
    const created = await wallets().create(args);
    const rule = (await walletOf(created.id)).recurring_transaction_rules![0]!;
    expect(rule).toMatchObject({ trigger: "threshold", method: "target", threshold_credits: "10.0", target_ongoing_balance: "100.0", invoice_requires_successful_payment: true });
    const read = await wallets().read(created.id, created.outs!);
    expect(read.inputs).toMatchObject({ expirationAt: "2099-12-31T00:00:00Z", invoiceRequiresSuccessfulPayment: true, recurringTransactionRules: [target] });
    expect((await wallets().diff(created.id, read.props!, args)).changes).toBe(false);
    const interval = { ...args, recurringTransactionRules: [{ trigger: "interval", interval: "weekly", grantedCredits: "5" }] };
    await wallets().update(created.id, read.props!, interval);
    expect((await walletOf(created.id)).recurring_transaction_rules).toEqual([
      expect.objectContaining({ lago_id: rule.lago_id, trigger: "interval", interval: "weekly", method: "fixed", granted_credits: "5.0", paid_credits: "0.0", started_at: null }),
    ]);
    const after = await wallets().read(created.id, { ...read.props!, ...interval });
    expect((await wallets().diff(created.id, after.props!, interval)).changes).toBe(false);
  });

  it("removing the rule from the program terminates it in Lago", async () => {
    await customer();
    const created = await wallets().create(prepaid);
    await wallets().update(created.id, created.outs!, { ...prepaid, recurringTransactionRules: undefined });
    expect((await walletOf(created.id)).recurring_transaction_rules).toEqual([]);
  });

  it("an active wallet made outside the stack is an error unless adopt: true, which grants nothing", async () => {
    await customer();
    const outside = (await lago.http("POST", "/wallets", { wallet: { external_customer_id: "acme", currency: "USD", rate_amount: "1", name: "Prepaid", granted_credits: "30" } })).body.wallet;
    expect(await failure(wallets().create(prepaid))).toBe(
      `Wallet "Prepaid" USD wallet of customer "acme": already exists in Lago (lago_id ${outside.lago_id}). Set adopt: true to take it over, or choose another externalCustomerId.`,
    );
    const before = apiRequests(lago).length;
    const adopted = await wallets().create({ ...prepaid, name: "Main", adopt: true }); // another name: the customer's only USD wallet
    expect(adopted.id).toBe(outside.lago_id);
    expect(writes(apiRequests(lago).slice(before))).toEqual([`PUT /wallets/${outside.lago_id}`]); // name and rule converged, no POST
    const wallet = await walletOf(outside.lago_id);
    expect(wallet).toMatchObject({ name: "Main", credits_balance: "30.0" });
    expect(await walletsOf()).toHaveLength(1);
  });

  it("a wallet terminated in Lago stays in the state as terminated: no change is written to it, nothing deletes it again", async () => {
    await customer();
    const created = await wallets().create(prepaid);
    await lago.http("DELETE", `/wallets/${created.id}`);
    const read = await wallets().read(created.id, created.outs!);
    expect(read.id).toBe(created.id);
    expect(read.props).toMatchObject({ status: "terminated", terminatedAt: expect.any(String) });
    expect(await failure(wallets().diff(created.id, read.props!, { ...prepaid, name: "Renamed" }))).toMatch(
      /^Wallet "Prepaid" USD wallet of customer "acme": was terminated in Lago at .+ and cannot change: Lago does not reopen a wallet\. Remove it from the program, or declare a new Wallet resource$/,
    );
    const before = apiRequests(lago).length;
    await wallets().delete(created.id, read.props!);
    expect(writes(apiRequests(lago).slice(before))).toEqual([]);
  });

  it("credits worth less than a cent are refused at check as Lago refuses them; half a cent rounds up and passes both", async () => {
    await customer();
    const tiny = { ...prepaid, rateAmount: "0.001", grantedCredits: "4", recurringTransactionRules: undefined };
    expect((await wallets().check({}, tiny)).failures).toEqual([expect.objectContaining({ property: "grantedCredits" })]);
    const raw = await lago.http("POST", "/wallets", { wallet: { external_customer_id: "acme", currency: "USD", rate_amount: "0.001", granted_credits: "4" } });
    expect(raw.body).toMatchObject({ status: 422, error_details: { granted_credits: ["amount_rounds_to_zero"] } });
    const half = { ...tiny, grantedCredits: "5" };
    expect((await wallets().check({}, half)).failures).toEqual([]);
    const created = await wallets().create(half);
    expect((await walletOf(created.id)).balance_cents).toBe(1);
  });

  it("a wallet is found by its id alone (pulumi import): its customer and what Lago computed", async () => {
    await customer();
    const outside = (await lago.http("POST", "/wallets", { wallet: { external_customer_id: "acme", currency: "USD", rate_amount: "2", name: "Imported" } })).body.wallet;
    const read = await wallets().read(outside.lago_id, {});
    expect(read.id).toBe(outside.lago_id);
    expect(read.inputs).toEqual({ externalCustomerId: "acme" }); // as for every kind, the program's arguments come from the program
    expect(read.props).toMatchObject({ lagoId: outside.lago_id, status: "active", balanceCents: 0, createdAt: outside.created_at });
  });

  it("adopt with several active wallets in the currency and none of that name asks which one, before any write", async () => {
    await customer();
    for (const name of ["Marketing", "Support"]) await lago.http("POST", "/wallets", { wallet: { external_customer_id: "acme", currency: "USD", rate_amount: "1", name } });
    const before = apiRequests(lago).length;
    expect(await failure(wallets().create({ ...prepaid, adopt: true }))).toMatch(/^Wallet "Prepaid" USD wallet of customer "acme": cannot adopt: customer "acme" has 2 active USD wallets \("Support" [0-9a-f-]+, "Marketing" [0-9a-f-]+\); set name to the one to take over$/);
    expect(writes(apiRequests(lago).slice(before))).toEqual([]);
  });

  it("values unknown during preview pass check; unknown credits are not refused before they are known", async () => {
    await customer();
    expect((await wallets().check({}, { ...prepaid, externalCustomerId: UNKNOWN, grantedCredits: UNKNOWN, recurringTransactionRules: [{ trigger: "interval", interval: UNKNOWN, paidCredits: UNKNOWN }] })).failures).toEqual([]);
    const created = await wallets().create(prepaid);
    // The machinery counts an unknown as a possible change; the diff of the apply, with the value known, decides.
    expect(await wallets().diff(created.id, created.outs!, { ...prepaid, grantedCredits: UNKNOWN })).toMatchObject({ changes: true, replaces: [] });
  });

  it("a customer Lago does not have is Lago's refusal, naming the argument", async () => {
    expect(await failure(wallets().create({ ...prepaid, externalCustomerId: "nobody" }))).toBe(
      'Wallet "Prepaid" USD wallet of customer "nobody": create failed: Lago rejected it (422): argument "externalCustomerId" (Lago field customer) customer_not_found',
    );
  });
});

describe("Wallet without a premium licence", () => {
  const { lago, runtime } = useProviderRuntime({ premium: false });
  it("Lago keeps no recurring rule without the licence: the create names it, with Lago's values recorded", async () => {
    await lago.http("POST", "/customers", { customer: { external_id: "acme", name: "Acme", currency: "USD" } });
    const message = await failure(runtime.wallet.create(prepaid));
    expect(message).toBe(
      'Wallet "Prepaid" USD wallet of customer "acme": create did not apply recurringTransactionRules (asked [{"trigger":"interval","interval":"monthly","paidCredits":"20"}], Lago has []): Lago keeps recurring transaction rules only with a premium licence (it answers 200 without them); without one, manage top-ups outside this wallet',
    );
    expect((await lago.http("GET", "/wallets?external_customer_id=acme")).body.wallets).toHaveLength(1);
  });

  it("the state a partial write records keeps the credits the wallet was created with, so the next preview is no refusal", async () => {
    await lago.http("POST", "/customers", { customer: { external_id: "acme", name: "Acme", currency: "USD" } });
    const plain = { ...prepaid, recurringTransactionRules: undefined };
    const created = await runtime.wallet.create(plain);
    const partial = await runtime.wallet.update(created.id, created.outs!, prepaid).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(partial).toBeInstanceOf(PartialWriteError);
    const recorded = (partial as PartialWriteError).properties;
    expect(recorded).toMatchObject({ grantedCredits: "50", recurringTransactionRules: [] });
    await expect(runtime.wallet.diff(created.id, recorded, plain)).resolves.toMatchObject({ changes: false });
    // An update recording its outputs keeps them too, even once the program stops declaring them.
    const renamed = await runtime.wallet.update(created.id, recorded, { ...plain, grantedCredits: undefined, name: "Renamed" });
    expect(renamed.outs).toMatchObject({ grantedCredits: "50", name: "Renamed" });
  });
});
