// Organization settings through the provider against the local Lago (Lago's GET/PUT /organizations;
// organizations/update_service.rb).
import { describe, expect, it } from "vitest";
import { STATE_VERSION, STATE_VERSION_KEY } from "../../provider/state-version";
import { apiRequests, failure, useProviderRuntime } from "./harness";

const settings = { defaultCurrency: "EUR", netPaymentTerm: 30, invoiceFooter: "Thank you", documentNumberPrefix: "ACME", adopt: true };
const organization = async (lago: { http: (m: string, p: string) => Promise<{ body: { organization: Record<string, unknown> } }> }) => (await lago.http("GET", "/organizations")).body.organization;

describe("Organization with a premium licence", () => {
  const { lago, runtime } = useProviderRuntime();
  const orgs = () => runtime.organization;

  it("take over → read equals → no-op diff → in-place update → drift detected → delete leaves Lago as it is, and says so", async () => {
    const created = await orgs().create({ ...settings, timezone: "Europe/Paris", __provider: "x" });
    expect(apiRequests(lago)).toEqual(["GET /organizations", "PUT /organizations"]); // it always exists: taken over, never created
    const org = await organization(lago);
    expect(org).toMatchObject({ default_currency: "EUR", net_payment_term: 30, timezone: "Europe/Paris", document_number_prefix: "ACME", billing_configuration: { invoice_footer: "Thank you" } });
    expect(created.outs).toEqual({ ...settings, timezone: "Europe/Paris", lagoId: org.lago_id, name: org.name, createdAt: org.created_at, [STATE_VERSION_KEY]: STATE_VERSION });

    const read = await orgs().read(created.id, created.outs!);
    expect(read.props).toEqual(created.outs);
    // Lago upper-cases the prefix: "acme" is the same setting.
    expect((await orgs().diff(created.id, read.props!, { ...settings, timezone: "Europe/Paris", documentNumberPrefix: "acme" })).changes).toBe(false);

    // The time zone left out goes back to Lago's default.
    const next = { ...settings, netPaymentTerm: 45, documentLocale: "fr" };
    const updated = await orgs().update(created.id, read.props!, next);
    expect(await organization(lago)).toMatchObject({ net_payment_term: 45, timezone: "UTC", billing_configuration: { document_locale: "fr", invoice_footer: "Thank you" } });

    await lago.http("PUT", "/organizations", { organization: { net_payment_term: 7 } });
    const refreshed = await orgs().read(created.id, updated.outs!);
    expect(await orgs().diff(created.id, refreshed.props!, next)).toMatchObject({ changes: true, changed: ["netPaymentTerm"], replaces: [] });

    expect(await failure(orgs().delete(created.id, updated.outs!))).toBe(
      "Organization the organization: refusing to delete it: Lago keeps its organization and these settings as they are (the organization cannot be deleted); removing the resource only stops managing them. To accept that loss, set allowDestroy: true on this resource and apply it (`pulumi up`) before deleting or replacing it.",
    );
    const before = apiRequests(lago).length;
    await orgs().delete(created.id, { ...updated.outs!, allowDestroy: true });
    expect(apiRequests(lago).slice(before).filter((c) => !c.startsWith("GET "))).toEqual([]);
    expect(await organization(lago)).toMatchObject({ net_payment_term: 7, default_currency: "EUR" });
  });
});

describe("Organization without a premium licence", () => {
  const { lago, runtime } = useProviderRuntime({ premium: false });
  it("what Lago ignores without the licence is named after the write, with Lago's values recorded", async () => {
    const message = await failure(runtime.organization.create({ ...settings, timezone: "Europe/Paris", invoiceGracePeriod: 3 }));
    expect(message).toBe(
      'Organization the organization: adopt did not apply timezone (asked "Europe/Paris", Lago has "UTC"), invoiceGracePeriod (asked 3, Lago has 0): Lago ignores timezone, invoiceGracePeriod without a premium licence (organizations/update_service.rb)',
    );
    expect(await organization(lago)).toMatchObject({ default_currency: "EUR", timezone: "UTC" });
  });
});
