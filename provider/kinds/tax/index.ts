// Tax kind (lago-api.md §8). Deleting a tax detaches it from every plan, charge, commitment, add-on and customer
// that carries it and from the organization (app/services/taxes/destroy_service.rb), so a delete is guarded by
// what uses it. Lago's counters on the tax are always 0 (app/serializers/v1/tax_serializer.rb): the users are
// found by listing plans, add-ons and customers, whose lists embed their taxes.
import { segment, send } from "../../contract";
import { isAlreadyExists, LagoProviderError, unlessNotFound } from "../../errors";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { normalize, outputs, toArgs, toWire, type LagoTax, type TaxBody } from "./payload";
import { taxSchema, type TaxInputs } from "./schema";

const has = (taxes: ReadonlyArray<{ code: string }> | null | undefined, code: string) => (taxes ?? []).some((t) => t.code === code);

const listed = (what: string, codes: string[]) =>
  codes.length ? [`${what} ${codes.slice(0, 5).join(", ")}${codes.length > 5 ? ` and ${codes.length - 5} more` : ""}`] : [];

/** Who would lose this tax: plans (their own taxes, a charge's, the commitment's), add-ons, customers, the organization. */
export async function taxUsers({ client }: KindCall, tax: LagoTax): Promise<string[]> {
  const page = { per_page: 100 };
  const plans = await listAll(async (p) => {
    const data = await send(client, "findAllPlans", { method: "GET", path: "/plans", query: { ...page, page: p } });
    return { items: data.plans, meta: data.meta };
  });
  const addOns = await listAll(async (p) => {
    const data = await send(client, "findAllAddOns", { method: "GET", path: "/add_ons", query: { ...page, page: p } });
    return { items: data.add_ons, meta: data.meta };
  });
  const customers = await listAll(async (p) => {
    const data = await send(client, "findAllCustomers", { method: "GET", path: "/customers", query: { ...page, page: p } });
    return { items: data.customers, meta: data.meta };
  });
  const code = tax.code;
  const planUsers = plans.filter((p) => !p.pending_deletion).filter((p) => has(p.taxes, code) || has(p.minimum_commitment?.taxes, code));
  const chargeUsers = plans.flatMap((p) => (p.charges ?? []).filter((c) => has(c.taxes, code)).map((c) => `${p.code}/${c.code ?? c.billable_metric_code}`));
  return [
    ...listed(planUsers.length > 1 ? "plans" : "plan", planUsers.map((p) => p.code)),
    ...listed(chargeUsers.length > 1 ? "charges" : "charge", chargeUsers),
    ...listed(addOns.length > 1 ? "add-ons" : "add-on", addOns.filter((a) => has(a.taxes, code)).map((a) => a.code)),
    ...listed("customers", customers.filter((c) => has(c.taxes, code)).map((c) => c.external_id)),
    ...(tax.applied_to_organization ? ["the organization (applied to every customer of its default billing entity)"] : []),
  ];
}

export const taxSpec: KindSpec<TaxInputs, LagoTax, TaxBody> = {
  kind: "Tax",
  keyArg: "code",
  keyField: "code",
  // Lago refuses a code already used, even by a deleted tax (app/models/tax.rb uniqueness): a create is one POST.
  createRefusesDuplicate: true,
  schema: taxSchema,
  cleared: { description: null, appliedToOrganization: false },
  normalize,
  toArgs,
  outputs,
  toWire: (payload) => toWire(payload),
  api: {
    async find({ client }, code) {
      return (await unlessNotFound(send(client, "findTax", { method: "GET", path: `/taxes/${segment(code)}` })))?.tax;
    },
    async findById({ client }, lagoId) {
      const all = await listAll(async (page) => {
        const data = await send(client, "findAllTaxes", { method: "GET", path: "/taxes", query: { page, per_page: 100 } });
        return { items: data.taxes, meta: data.meta };
      });
      return all.find((t) => t.lago_id === lagoId);
    },
    async create({ client }, body) {
      try {
        return (await send(client, "createTax", { method: "POST", path: "/taxes", body: { tax: body } })).tax;
      } catch (error) {
        // A live tax with this code is adopted or refused by the shared create; a deleted one still holds the code.
        if (!isAlreadyExists(error, "code") || (await unlessNotFound(send(client, "findTax", { method: "GET", path: `/taxes/${segment(body.code ?? "")}` })))) throw error;
        throw new LagoProviderError(
          `Tax code "${body.code}": create failed: a deleted tax still holds this code (Lago keeps the codes of deleted taxes, app/models/tax.rb); choose another code`,
        );
      }
    },
    async update({ client }, current, body) {
      return (await send(client, "updateTax", { method: "PUT", path: `/taxes/${segment(current.code)}`, body: { tax: body } })).tax;
    },
    async remove({ client }, current) {
      await send(client, "destroyTax", { method: "DELETE", path: `/taxes/${segment(current.code)}` });
    },
  },
  async loss(call, remote) {
    const users = await taxUsers(call, remote);
    return users.length ? `${users.join("; ")} use it; deleting it removes it from them, and their next invoices are taxed without it` : undefined;
  },
  async ignoredReason(_call, _remote, args) {
    if (args.includes("rate")) return "Lago stores a rate as a float (about 15 significant digits): give the rate with fewer digits";
    return "Lago kept its previous values";
  },
};

export const taxKind = (runtime: KindRuntime): KindProvider => defineKind(taxSpec, runtime);
