// Organization kind: the settings of Lago's PUT /organizations. The organization always exists (it is the API key's),
// so declaring it takes over the settings declared, and only those; settings left out stay as Lago has them.
// Removing the resource leaves Lago's organization as it is: the delete says so and asks for allowDestroy, then
// only drops it from the stack. Without a premium licence Lago ignores timezone, emailSettings and
// invoiceGracePeriod with a 200 (organizations/update_service.rb): the write check names them.
import { send } from "../../contract";
import { defineKind, type KindProvider, type KindRuntime, type KindSpec } from "../../kind";
import { normalize, outputs, toArgs, toWire, type LagoOrganization, type OrganizationBody } from "./payload";
import { organizationSchema, type OrganizationInputs } from "./schema";

const PREMIUM = ["timezone", "emailSettings", "invoiceGracePeriod"];

export const organizationSpec: KindSpec<OrganizationInputs, LagoOrganization, OrganizationBody> = {
  kind: "Organization",
  // The organization has no key of its own: the API key names it, and every lookup reads it.
  keyless: true,
  keyArg: "defaultCurrency",
  keyField: "organization",
  identify: () => "the organization",
  schema: organizationSchema,
  // A setting removed from the program goes back to Lago's default (organization.rb); Lago has none for the
  // currency and the prefix, which it keeps.
  cleared: { timezone: "UTC", netPaymentTerm: 0, documentNumbering: "per_customer", finalizeZeroAmountInvoice: true, invoiceGracePeriod: 0, documentLocale: "en", emailSettings: [] },
  normalize,
  toArgs,
  outputs,
  toWire: (payload) => toWire(payload),
  api: {
    async find({ client }) {
      return (await send(client, "findOrganization", { method: "GET", path: "/organizations" })).organization;
    },
    async create() {
      throw new Error("Lago has no create for the organization; it is always taken over"); // never reached: find always answers
    },
    async update({ client }, _current, body) {
      return (await send(client, "updateOrganization", { method: "PUT", path: "/organizations", body: { organization: body } })).organization;
    },
    async remove() {
      // Lago's organization is never deleted: the resource only leaves the stack.
    },
  },
  async loss() {
    return "Lago keeps its organization and these settings as they are (the organization cannot be deleted); removing the resource only stops managing them";
  },
  async ignoredReason(_call, _remote, args) {
    const premium = args.filter((a) => PREMIUM.includes(a));
    return premium.length ? `Lago ignores ${premium.join(", ")} without a premium licence (organizations/update_service.rb)` : "Lago kept its previous values";
  },
};

export const organizationKind = (runtime: KindRuntime): KindProvider => defineKind(organizationSpec, runtime);
