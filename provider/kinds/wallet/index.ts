// Wallet kind: a customer's prepaid credit (app/services/wallets/*). Prepaid credit is money, so:
// - Deleting is Lago's DELETE /wallets/{id}, which terminates the wallet and its rules (wallets/terminate_service.rb):
//   the remaining credit is lost, so it is always guarded while the wallet is active, naming the balance.
// - Lago's PUT does not permit the customer, the currency or the rate (wallet_actions.rb update_params, ignored with
//   a 200): a change of those is a replace, i.e. terminating this wallet, guarded the same way.
// - paidCredits and grantedCredits are granted once, by the POST. A later change of them is refused at preview: it
//   would neither top the wallet up nor take credit back (a top-up is a wallet transaction, POST /wallet_transactions).
// - Lago keeps recurring transaction rules only with a premium licence (recurring_transaction_rules/create_service.rb,
//   wallets/update_service.rb); otherwise it answers 200 without them, which the write check names.
import { containsUnknown, sameCanonical } from "../../canonical";
import { segment, send } from "../../contract";
import { canonicalDecimal, isDecimal } from "../../decimal";
import { LagoProviderError, unlessNotFound } from "../../errors";
import { defineKind, PartialWriteError, type Args, type KindCall, type KindProvider, type KindRuntime, type KindSpec, type Managed } from "../../kind";
import { listAll } from "../../paging";
import { CREATION_ONLY, normalize, outputs, toArgs, toWire, type LagoWallet, type WalletBody } from "./payload";
import { currencyDigits, walletSchema, type WalletInputs } from "./schema";

const present = (v: unknown) => v !== undefined && v !== null;

/** How messages name a wallet: its name (when it has one), its currency and its customer. */
export function identifyWallet(args: Managed<WalletInputs>): string {
  const currency = typeof args.currency === "string" ? `${args.currency} ` : "";
  const name = typeof args.name === "string" && args.name ? `"${args.name}" ` : "";
  return `${name}${currency}wallet of customer "${String(args.externalCustomerId)}"`;
}

/** An amount in cents as the currency writes it (its own number of decimals). */
function money(cents: number, currency: string): string {
  const digits = currencyDigits(currency);
  return `${(cents / 10 ** digits).toFixed(digits)} ${currency}`;
}

async function walletsOf({ client }: KindCall, externalCustomerId: string, currency: string | undefined) {
  return listAll(async (page) => {
    const query = { external_customer_id: externalCustomerId, page, per_page: 100, ...(currency ? { currency } : {}) };
    const data = await send(client, "findAllWallets", { method: "GET", path: "/wallets", query });
    return { items: data.wallets, meta: data.meta };
  });
}

async function walletById({ client }: KindCall, lagoId: string) {
  return (await unlessNotFound(send(client, "findWallet", { method: "GET", path: `/wallets/${segment(lagoId)}` })))?.wallet;
}

const sameName = (a: string | null | undefined, b: unknown) => (a ?? "") === (typeof b === "string" ? b : "");

export const walletSpec: KindSpec<WalletInputs, LagoWallet, WalletBody> = {
  kind: "Wallet",
  keyArg: "externalCustomerId",
  keyField: "external_customer_id",
  identify: identifyWallet,
  schema: walletSchema,
  replaceOn: ["externalCustomerId", "currency", "rateAmount"],
  cleared: { invoiceRequiresSuccessfulPayment: false, recurringTransactionRules: [] },
  normalize,
  toArgs,
  outputs,
  toWire: (payload, { current }) => toWire(payload, current),
  argFor: (field) => (field === "customer" || field === "customer_not_found" ? "externalCustomerId" : undefined),
  api: {
    /**
     * The wallet the state records (by its lago_id, in any status: a terminated wallet stays what the state
     * describes); before there is one, the customer's active wallet in this currency with this name, or, to adopt,
     * its only active wallet in this currency.
     */
    async find(call, externalCustomerId, args) {
      const recorded = (args as Args).lagoId;
      if (typeof recorded === "string" && recorded) return walletById(call, recorded);
      const currency = typeof args.currency === "string" ? args.currency : undefined;
      const active = (await unlessNotFound(walletsOf(call, externalCustomerId, currency)))?.filter((w) => w.status === "active" && (!currency || w.currency === currency)) ?? [];
      const named = active.find((w) => sameName(w.name, args.name));
      if (named || (args as Args).adopt !== true) return named;
      if (active.length > 1)
        throw new LagoProviderError(
          `Wallet ${identifyWallet(args)}: cannot adopt: customer "${externalCustomerId}" has ${active.length} active ${currency ?? ""} wallets (${active.map((w) => `"${w.name ?? ""}" ${w.lago_id}`).join(", ")}); set name to the one to take over`,
        );
      return active[0];
    },
    /** `pulumi import` and a state without its lago_id: the id is the wallet's lago_id. */
    findById: walletById,
    async create({ client }, body) {
      if (body.on !== "create") throw new LagoProviderError("Wallet: a create needs the POST body");
      return (await send(client, "createWallet", { method: "POST", path: "/wallets", body: { wallet: body.wallet } })).wallet;
    },
    async update({ client }, current, body) {
      if (body.on !== "update") throw new LagoProviderError("Wallet: an update needs the PUT body");
      return (await send(client, "updateWallet", { method: "PUT", path: `/wallets/${segment(current.lago_id)}`, body: { wallet: body.wallet } })).wallet;
    },
    async remove({ client }, current) {
      if (current.status === "terminated") return; // nothing left to end
      await send(client, "destroyWallet", { method: "DELETE", path: `/wallets/${segment(current.lago_id)}` });
    },
  },
  async loss(_call, remote) {
    if (remote.status !== "active") return undefined;
    const ongoing = remote.ongoing_balance_cents !== remote.balance_cents ? `, ${money(remote.ongoing_balance_cents, remote.currency)} after current usage` : "";
    return `customer "${remote.external_customer_id}" still holds ${remote.credits_balance} credits in it (${money(remote.balance_cents, remote.currency)}${ongoing}); terminating the wallet loses that prepaid credit and ends its recurring top-ups`;
  },
  /** A terminated wallet (expired, or ended in Lago) is never written again: Lago does not reopen it. */
  async frozen(_call, remote) {
    if (remote.status !== "terminated") return undefined;
    throw new LagoProviderError(
      `Wallet ${identifyWallet(toArgs(remote))}: was terminated in Lago${remote.terminated_at ? ` at ${remote.terminated_at}` : ""} and cannot change: Lago does not reopen a wallet. Remove it from the program, or declare a new Wallet resource`,
    );
  },
  async ignoredReason(_call, _remote, args) {
    const reasons: string[] = [];
    if (args.includes("currency")) reasons.push("Lago gives a wallet its customer's currency (wallets/create_service.rb without multi-currency): declare the customer's currency");
    if (args.includes("recurringTransactionRules"))
      reasons.push("Lago keeps recurring transaction rules only with a premium licence (it answers 200 without them); without one, manage top-ups outside this wallet");
    return reasons.join("; ") || "Lago kept its previous values";
  },
};

const spelled = (v: unknown) => (isDecimal(v) ? canonicalDecimal(v) : v);

/**
 * The machinery's provider, with the creation-only credits recorded as the wallet was created: the state keeps them
 * through refreshes, updates and partial writes (Lago holds no such field), and a change of them is refused at preview.
 */
export const walletKind = (runtime: KindRuntime): KindProvider => {
  const base = defineKind(walletSpec, runtime);
  const creationOnly = (from: Args) => Object.fromEntries(CREATION_ONLY.filter((k) => present(from[k])).map((k) => [k, from[k]]));
  /** A write whose outputs Lago's object made (a partial write) records the credits the wallet was created with. */
  const recording = async <T>(write: Promise<T>, created: Args): Promise<T> => {
    try {
      return await write;
    } catch (error) {
      if (error instanceof PartialWriteError) throw new PartialWriteError(error.id, { ...error.properties, ...creationOnly(created) }, error.message);
      throw error;
    }
  };
  return {
    ...base,
    create: (inputs) => recording(base.create(inputs), inputs),
    async update(id, olds, news) {
      const result = await recording(base.update(id, olds, news), olds);
      const outs = Object.fromEntries(Object.entries(result.outs ?? {}).filter(([k]) => !(CREATION_ONLY as readonly string[]).includes(k)));
      return { ...result, outs: { ...outs, ...creationOnly(olds) } };
    },
    async diff(id, olds, news) {
      const result = await base.diff(id, olds, news);
      if (result.replaces?.length) return result; // a new wallet: it is created with the credits declared now
      const changed = CREATION_ONLY.filter((k) => present(news[k]) && !containsUnknown(news[k]) && !sameCanonical(spelled(olds[k] ?? null), spelled(news[k])));
      if (!changed.length) return result;
      const detail = changed.map((k) => `${k} (declared ${JSON.stringify(news[k])}, created with ${JSON.stringify(olds[k] ?? null)})`).join(", ");
      throw new LagoProviderError(
        `Wallet ${identifyWallet(olds as Managed<WalletInputs>)}: ${detail} cannot change: Lago grants a wallet's paidCredits and grantedCredits once, when it is created, and changing them here would neither top it up nor take credit back. Put the created value back (or remove the argument); top up with a wallet transaction (Lago's POST /wallet_transactions) or a recurring transaction rule`,
      );
    },
    async read(id, props) {
      const result = await base.read(id, props);
      if (!result.props || !result.inputs) return result;
      // What Lago holds in its own spelling ("1.0", a rule's zero credits) but means the same keeps the state's
      // spelling, so a refresh of an unchanged wallet changes nothing; the balances are Lago's.
      const held = normalize(result.inputs as Managed<WalletInputs>);
      const recorded = normalize(props as Managed<WalletInputs>);
      const same = Object.keys(result.inputs).filter((k) => present(props[k]) && sameCanonical(held[k], recorded[k]));
      const kept = { ...Object.fromEntries(same.map((k) => [k, props[k]])), ...creationOnly(props) };
      return { ...result, props: { ...result.props, ...kept }, inputs: { ...result.inputs, ...kept } };
    },
  };
};
