// Customers (lago-api.md §4; Lago's api/v1/customers_controller.rb): POST is an upsert by
// external_id, there is no PUT route. The rules live in ../domain/customers.ts.
import type { ApiRequest, Room } from "../api";
import { deleteCustomer } from "../domain/customer-deletion";
import { findCustomer, upsertCustomer, type CustomerRecord, type TextField } from "../domain/customers";
import { notFound, validationError } from "../errors";
import { COUNTRIES } from "../geography";
import { LAGO_CURRENCIES } from "../../lago/currencies";
import { live, tables } from "../model";
import { listPage, newestFirst } from "../pagination";
import { serializeCustomer } from "../serializers/customer";
import { DEFAULT_BILLING_ENTITY_CODE } from "./taxes";

const ACCOUNT_TYPES = ["customer", "partner"];
const CUSTOMER_TYPES = ["company", "individual"];
const SEARCHED_FIELDS: TextField[] = ["name", "firstname", "lastname", "legal_name", "email"];

const oneOf = (values: Iterable<string>) => `must be one of: ${[...values].join(", ")}`;

/**
 * The list filters' contract (app/contracts/queries/customers_query_filters_contract.rb): a bad value
 * answers 422 with dry-validation's messages, array entries keyed by their index.
 */
function assertValidListFilters(req: ApiRequest): void {
  const details: Record<string, unknown> = {};
  const eachOf = (name: string, allowed: ReadonlySet<string>, message: string) => {
    const bad: Record<string, string[]> = {};
    req.queryArray(name).forEach((value, index) => {
      if (!allowed.has(value)) bad[String(index)] = [message];
    });
    if (Object.keys(bad).length) details[name] = bad;
  };
  eachOf("account_type", new Set(ACCOUNT_TYPES), oneOf(ACCOUNT_TYPES));
  eachOf("countries", COUNTRIES, oneOf([...COUNTRIES].sort()));
  eachOf("currencies", LAGO_CURRENCIES, oneOf([...LAGO_CURRENCIES].sort()));
  for (const flag of ["has_tax_identification_number", "has_customer_type"]) {
    const value = req.query(flag);
    if (value !== undefined && !["true", "false"].includes(value)) details[flag] = [oneOf(["true", "false"])];
  }
  const customerType = req.query("customer_type");
  if (customerType !== undefined && !CUSTOMER_TYPES.includes(customerType)) details.customer_type = [oneOf(CUSTOMER_TYPES)];
  else if (req.query("has_customer_type") === "false" && customerType) details.customer_type = ["must be nil when has_customer_type is false"];
  if (Object.keys(details).length) throw validationError(details);
}

export const customers: Room = (api, lago) => {
  const t = () => tables(lago.store);

  api.post("/customers", (req) => ({ customer: serializeCustomer(lago, upsertCustomer(lago, req.body("customer", "expect")), true) }));

  api.get("/customers", (req) => {
    assertValidListFilters(req);
    const entityCodes = req.queryArray("billing_entity_codes");
    if (entityCodes.some((code) => code !== DEFAULT_BILLING_ENTITY_CODE)) throw notFound("billing_entity");
    // Array filters are read only in their array form (`permit(currencies: [])` drops a scalar).
    const anyOf = (name: string, value: string | null) => {
      const wanted = req.queryArray(name);
      return !wanted.length || (value !== null && wanted.includes(value));
    };
    const presence = (name: string, value: string | null) => {
      const flag = req.query(name);
      return flag === undefined || (flag === "true") === (value !== null && value !== "");
    };
    const customerType = req.query("customer_type");
    const externalId = req.query("external_id");
    const search = req.query("search_term")?.toLowerCase();
    const metadataFilters = Object.entries(req.queries).flatMap(([name, value]) => {
      const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
      return key ? [[key, value] as const] : [];
    });
    const rows = (t().customers.filter(live) as CustomerRecord[])
      .filter((c) => anyOf("currencies", c.currency) && anyOf("countries", c.country) && anyOf("states", c.state) && anyOf("zipcodes", c.zipcode))
      .filter((c) => anyOf("account_type", c.account_type))
      .filter((c) => presence("has_tax_identification_number", c.tax_identification_number) && presence("has_customer_type", c.customer_type))
      .filter((c) => !customerType || c.customer_type === customerType)
      .filter((c) => !externalId || c.external_id === externalId)
      .filter((c) => metadataFilters.every(([key, value]) => c.metadata.some((m) => m.key === key && m.value === value)))
      .filter((c) => !search || [c.external_id, ...SEARCHED_FIELDS.map((f) => c[f])].some((value) => value?.toLowerCase().includes(search)))
      .sort(newestFirst);
    return listPage("customers", rows, req.queries, (c) => serializeCustomer(lago, c, false));
  });

  api.get("/customers/:external_id", (req) => ({ customer: serializeCustomer(lago, findCustomer(lago, req.params.external_id!), true) }));

  api.delete("/customers/:external_id", (req) => ({ customer: serializeCustomer(lago, deleteCustomer(lago, findCustomer(lago, req.params.external_id!)), true) }));
};
