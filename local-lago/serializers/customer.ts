// The customer object Lago answers with (app/serializers/v1/customer_serializer.rb, lago-api.md §4.4).
import type { LagoContext } from "../context";
import type { CustomerRecord } from "../domain/customers";
import { applicableTimezone, currentProviderCustomer } from "../domain/customers";
import { DEFAULT_BILLING_ENTITY_CODE, serializeTaxIds } from "../resources/taxes";

export function serializeCustomer(lago: LagoContext, row: CustomerRecord, single: boolean) {
  const billing = row.billing_configuration;
  const provider = billing.payment_provider;
  const providerCustomer = currentProviderCustomer(row);
  return {
    lago_id: row.id,
    billing_entity_code: DEFAULT_BILLING_ENTITY_CODE,
    external_id: row.external_id,
    account_type: row.account_type,
    name: row.name,
    firstname: row.firstname,
    lastname: row.lastname,
    customer_type: row.customer_type,
    sequential_id: row.sequential_id,
    slug: row.slug,
    created_at: row.created_at,
    updated_at: row.updated_at,
    country: row.country,
    address_line1: row.address_line1,
    address_line2: row.address_line2,
    state: row.state,
    zipcode: row.zipcode,
    email: row.email,
    city: row.city,
    url: row.url,
    phone: row.phone,
    logo_url: row.logo_url,
    legal_name: row.legal_name,
    legal_number: row.legal_number,
    currency: row.currency,
    tax_identification_number: row.tax_identification_number,
    timezone: row.timezone,
    applicable_timezone: applicableTimezone(row),
    net_payment_term: row.net_payment_term,
    external_salesforce_id: row.external_salesforce_id,
    finalize_zero_amount_invoice: row.finalize_zero_amount_invoice,
    billing_configuration: {
      invoice_grace_period: billing.invoice_grace_period,
      payment_provider: provider,
      payment_provider_code: billing.payment_provider_code,
      document_locale: billing.document_locale,
      subscription_invoice_issuing_date_anchor: billing.subscription_invoice_issuing_date_anchor,
      subscription_invoice_issuing_date_adjustment: billing.subscription_invoice_issuing_date_adjustment,
      // The provider customer's fields and settings follow, for the provider types Lago's serializer lists.
      ...(provider && provider !== "flutterwave" ? { provider_customer_id: providerCustomer?.provider_customer_id ?? null } : {}),
      ...(provider === "stripe" ? { provider_payment_methods: providerCustomer?.provider_payment_methods ?? null } : {}),
      ...(provider && provider !== "flutterwave" && providerCustomer?.sync_with_provider ? { sync_with_provider: true } : {}),
    },
    shipping_address: { ...row.shipping_address },
    skip_invoice_custom_sections: row.skip_invoice_custom_sections,
    metadata: row.metadata.map((m) => ({ lago_id: m.id, key: m.key, value: m.value, display_in_invoice: m.display_in_invoice, created_at: m.created_at })),
    taxes: serializeTaxIds(lago, row.tax_ids),
    integration_customers: [],
    ...(single ? { applicable_invoice_custom_sections: [], error_details: [] } : {}),
  };
}
