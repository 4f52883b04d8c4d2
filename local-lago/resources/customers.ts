// Customers (lago-api.md §4; Lago's api/v1/customers_controller.rb): POST is an upsert by
// external_id, there is no PUT route. The rules live in ../domain/customers.ts.
import type { Room } from "../api";
import { deleteCustomer } from "../domain/customer-deletion";
import { findCustomer, upsertCustomer, type CustomerRecord, type TextField } from "../domain/customers";
import { notFound } from "../errors";
import { live, tables } from "../model";
import { listPage, newestFirst } from "../pagination";
import { serializeCustomer } from "../serializers/customer";
import { DEFAULT_BILLING_ENTITY_CODE } from "./taxes";

const SEARCHED_FIELDS: TextField[] = ["name", "firstname", "lastname", "legal_name", "email"];

export const customers: Room = (api, lago) => {
  const t = () => tables(lago.store);

  api.post("/customers", (req) => ({ customer: serializeCustomer(lago, upsertCustomer(lago, req.body("customer")), true) }));

  api.get("/customers", (req) => {
    const entityCodes = req.queryAll("billing_entity_codes");
    if (entityCodes.some((code) => code !== DEFAULT_BILLING_ENTITY_CODE)) throw notFound("billing_entity");
    const anyOf = (name: string, value: string | null) => {
      const wanted = req.queryAll(name);
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
