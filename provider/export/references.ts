// A snapshot must load as a catalog: an entry naming an object that is not in it (written as a comment, or in a
// section not read) cannot stay an entry. Pure: it moves such entries to `unexpressible` with the reason, repeatedly,
// since a moved plan takes the coupons limited to it and the subscriptions on it along.
import { entryKey, type Entry, type OrgSection, type OrgSnapshot, type Unexpressible } from "./sections";

type Reference = { section: OrgSection; what: string; codes: (entry: Entry) => string[] };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);
const records = (v: unknown): Entry[] => (Array.isArray(v) ? (v as Entry[]) : []);

/** What each section's entries name in other sections. */
const REFERENCES: Partial<Record<OrgSection, Reference[]>> = {
  plans: [
    { section: "metrics", what: "metric", codes: (p) => records(p.charges).flatMap((c) => strings(c.billableMetricCode)) },
    {
      section: "taxes",
      what: "tax",
      codes: (p) => [
        ...strings(p.taxCodes),
        ...strings((p.minimumCommitment as Entry | undefined)?.taxCodes),
        ...records(p.charges).flatMap((c) => strings(c.taxCodes)),
        ...records(p.fixedCharges).flatMap((c) => strings(c.taxCodes)),
      ],
    },
    { section: "addOns", what: "add-on", codes: (p) => records(p.fixedCharges).flatMap((c) => strings(c.addOnCode)) },
  ],
  addOns: [{ section: "taxes", what: "tax", codes: (a) => strings(a.taxCodes) }],
  coupons: [
    { section: "plans", what: "plan", codes: (c) => strings(c.planCodes) },
    { section: "metrics", what: "metric", codes: (c) => strings(c.billableMetricCodes) },
  ],
  customers: [{ section: "taxes", what: "tax", codes: (c) => strings(c.taxCodes) }],
  subscriptions: [
    { section: "plans", what: "plan", codes: (s) => strings(s.planCode) },
    {
      section: "taxes",
      what: "tax",
      codes: (s) => {
        const o = (s.planOverrides ?? {}) as Entry;
        return [...strings(o.taxCodes), ...strings((o.minimumCommitment as Entry | undefined)?.taxCodes), ...records(o.charges).flatMap((c) => strings(c.taxCodes))];
      },
    },
    { section: "customers", what: "customer", codes: (s) => strings(s.externalCustomerId) },
  ],
  appliedCoupons: [
    { section: "customers", what: "customer", codes: (a) => strings(a.externalCustomerId) },
    { section: "coupons", what: "coupon", codes: (a) => strings(a.couponCode) },
  ],
  wallets: [{ section: "customers", what: "customer", codes: (w) => strings(w.externalCustomerId) }],
};

/** Sections an entry of `section` may name, directly or through them: what `--only` must read too. */
export function sectionsNeeded(sections: readonly OrgSection[]): OrgSection[] {
  const needed = new Set(sections);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of [...needed])
      for (const ref of REFERENCES[s] ?? [])
        if (!needed.has(ref.section)) {
          needed.add(ref.section);
          grew = true;
        }
  }
  return [...needed];
}

/** The snapshot with every entry that names a missing object moved to `unexpressible`. */
export function resolveReferences(snapshot: OrgSnapshot): OrgSnapshot {
  const sections: OrgSnapshot["sections"] = Object.fromEntries(Object.entries(snapshot.sections).map(([k, v]) => [k, [...v]]));
  const unexpressible: Unexpressible[] = [...snapshot.unexpressible];
  const commented = new Set(snapshot.unexpressible.map((u) => `${u.section}\u0000${u.key}`));
  for (let moved = true; moved; ) {
    moved = false;
    for (const [section, refs] of Object.entries(REFERENCES) as Array<[OrgSection, Reference[]]>) {
      const entries = sections[section];
      if (!entries) continue;
      sections[section] = entries.filter((entry) => {
        for (const ref of refs) {
          const present = new Set((sections[ref.section] ?? []).map((e) => entryKey(ref.section, e)));
          const missing = [...new Set(ref.codes(entry))].filter((code) => !present.has(code));
          if (!missing.length) continue;
          const why = missing
            .map((code) =>
              commented.has(`${ref.section}\u0000${code}`)
                ? `${ref.what} "${code}", written as a comment (see its reason)`
                : `${ref.what} "${code}", which this export did not read (add --only ${ref.section} or read everything)`,
            )
            .join("; ");
          const key = entryKey(section, entry);
          unexpressible.push({ section, key, reason: `it names ${why}`, entry });
          commented.add(`${section}\u0000${key}`);
          moved = true;
          return false;
        }
        return true;
      });
    }
  }
  return { ...snapshot, sections, unexpressible };
}
