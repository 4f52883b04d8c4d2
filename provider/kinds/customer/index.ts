// Customer kind. Lago has no PUT for customers: POST /customers creates or updates by external_id
// (lago-api.md §4.3), so create relies on the shared existence check to never take over a customer
// silently, and update is the same POST with the managed fields.
import { segment, send } from "../../contract";
import { unlessNotFound } from "../../errors";
import { defineKind, type KindCall, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { listAll } from "../../paging";
import { customerSchema, type CustomerInputs } from "./schema";
import { argForField, normalize, outputs, toArgs, toWire, type CustomerBody, type LagoCustomer } from "./payload";

/** The customer's subscriptions that a delete would terminate or cancel (§4.5). */
export async function liveSubscriptions({ client }: KindCall, externalCustomerId: string) {
  const subs = await listAll(async (page) => {
    const { data } = await client.subscriptions.findAllSubscriptions({ external_customer_id: externalCustomerId, "status[]": ["active", "pending"], page, per_page: 100 });
    return { items: data.subscriptions, meta: data.meta };
  });
  return subs.map((s) => ({ externalId: s.external_id, status: s.status as string }));
}

/** Arguments Lago ignores without a premium licence (§1.10). */
const PREMIUM_ONLY = ["timezone", "billingConfiguration"];

async function post({ client }: KindCall, body: CustomerBody): Promise<LagoCustomer> {
  return (await send(client, "createCustomer", { method: "POST", path: "/customers", body: { customer: body } })).customer;
}

export const customerSpec: KindSpec<CustomerInputs, LagoCustomer, CustomerBody> = {
  kind: "Customer",
  keyArg: "externalId",
  keyField: "external_id",
  schema: customerSchema,
  // A customer is addressed by external_id only: another id means another customer.
  replaceOn: ["externalId"],
  cleared: { taxCodes: [], metadata: [], finalizeZeroAmountInvoice: "inherit" },
  normalize,
  toArgs,
  outputs,
  argFor: argForField,
  // Lago updates a customer by POSTing its external_id again: the current one when updating.
  toWire: (payload, { current }) => toWire(current?.external_id ?? String(payload.externalId), payload, current),
  api: {
    async find({ client }, externalId) {
      return (await unlessNotFound(send(client, "findCustomer", { method: "GET", path: `/customers/${segment(externalId)}` })))?.customer;
    },
    create: post,
    update: (call, _current, body) => post(call, body),
    async remove({ client }, current) {
      await send(client, "destroyCustomer", { method: "DELETE", path: `/customers/${segment(current.external_id)}` });
    },
  },
  async loss(call, remote) {
    const subs = await liveSubscriptions(call, remote.external_id);
    if (!subs.length) return undefined;
    const list = subs.map((s) => `${s.externalId} (${s.status})`).join(", ");
    return `it has live subscriptions ${list}; deleting the customer terminates active ones (with their final invoices) and cancels pending ones`;
  },
  async ignoredReason(_call, _remote, args) {
    const premium = args.filter((a) => PREMIUM_ONLY.includes(a));
    if (premium.length) return `Lago ignores ${premium.join(", ")} without a premium licence (timezone, invoice grace period)`;
    return "Lago kept its previous values";
  },
};

export const customerKind = (runtime: KindRuntime): KindProvider => defineKind(customerSpec, runtime);
