// AddOn kind (lago-api.md §6). Deleting an add-on also deletes the plans' fixed charges built on it
// (app/services/add_ons/destroy_service.rb), so a delete is guarded by those plans. Lago's plan list carries no
// fixed charges: each plan is read for them, on delete and replace only.
import { segment, send } from "../../contract";
import { unlessNotFound } from "../../errors";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { normalize, outputs, toArgs, toWire, type AddOnBody, type LagoAddOn } from "./payload";
import { addOnSchema, type AddOnInputs } from "./schema";

/** Codes of the live plans with a fixed charge on this add-on. */
export async function plansWithFixedCharge({ client }: KindCall, addOn: LagoAddOn): Promise<string[]> {
  const plans = await listAll(async (page) => {
    const data = await send(client, "findAllPlans", { method: "GET", path: "/plans", query: { page, per_page: 100 } });
    return { items: data.plans, meta: data.meta };
  });
  const using: string[] = [];
  for (const listed of plans.filter((p) => !p.pending_deletion)) {
    const plan = (await unlessNotFound(send(client, "findPlan", { method: "GET", path: `/plans/${segment(listed.code)}` })))?.plan;
    if ((plan?.fixed_charges ?? []).some((f) => f.lago_add_on_id === addOn.lago_id)) using.push(listed.code);
  }
  return using;
}

export const addOnSpec: KindSpec<AddOnInputs, LagoAddOn, AddOnBody> = {
  kind: "AddOn",
  keyArg: "code",
  keyField: "code",
  // Lago refuses a second live add-on with this code (app/models/add_on.rb uniqueness): a create is one POST.
  createRefusesDuplicate: true,
  schema: addOnSchema,
  cleared: { invoiceDisplayName: null, description: null, taxCodes: [] },
  normalize,
  toArgs,
  outputs,
  toWire: (payload) => toWire(payload),
  argFor: (field) => (field === "tax_not_found" ? "taxCodes" : undefined),
  api: {
    async find({ client }, code) {
      return (await unlessNotFound(send(client, "findAddOn", { method: "GET", path: `/add_ons/${segment(code)}` })))?.add_on;
    },
    async findById({ client }, lagoId) {
      const all = await listAll(async (page) => {
        const data = await send(client, "findAllAddOns", { method: "GET", path: "/add_ons", query: { page, per_page: 100 } });
        return { items: data.add_ons, meta: data.meta };
      });
      return all.find((a) => a.lago_id === lagoId);
    },
    async create({ client }, body) {
      return (await send(client, "createAddOn", { method: "POST", path: "/add_ons", body: { add_on: body } })).add_on;
    },
    async update({ client }, current, body) {
      return (await send(client, "updateAddOn", { method: "PUT", path: `/add_ons/${segment(current.code)}`, body: { add_on: body } })).add_on;
    },
    async remove({ client }, current) {
      await send(client, "destroyAddOn", { method: "DELETE", path: `/add_ons/${segment(current.code)}` });
    },
  },
  async loss(call, remote) {
    const plans = await plansWithFixedCharge(call, remote);
    if (!plans.length) return undefined;
    return `plan${plans.length > 1 ? "s" : ""} ${plans.join(", ")} bill${plans.length > 1 ? "" : "s"} it as a fixed charge; deleting the add-on deletes those fixed charges`;
  },
};

export const addOnKind = (runtime: KindRuntime): KindProvider => defineKind(addOnSpec, runtime);
