// The shape of an organization read as a catalog: its sections, entries and what could not be expressed.

/** The catalog's sections, in the order objects depend on each other. */
export const ORG_SECTIONS = ["taxes", "metrics", "addOns", "plans", "coupons", "webhookEndpoints", "customers", "subscriptions", "appliedCoupons", "wallets"] as const;
export type OrgSection = (typeof ORG_SECTIONS)[number];
/** Sections read only with `customers: true`. */
export const CUSTOMER_SECTIONS: readonly OrgSection[] = ["customers", "subscriptions", "appliedCoupons", "wallets"];

/** One catalog entry: the arguments of the section's kind. */
export type Entry = Record<string, unknown>;

/** An object Lago holds that the catalog cannot express (yet): kept with the reason, never dropped. */
export interface Unexpressible {
  section: OrgSection;
  /** Its code, external id, `<customer>/<coupon>`, or for a webhook endpoint its host (the URL is a secret). */
  key: string;
  reason: string;
  /** The entry as far as the catalog can write it. */
  entry: Entry;
}

export interface OrgSnapshot {
  /** Catalog entries by section (in ORG_SECTIONS order), each sorted by key; a section not read is absent. */
  sections: Partial<Record<OrgSection, Entry[]>>;
  unexpressible: Unexpressible[];
  /** HTTP requests made (all GETs), 429s and retries included. */
  requests: number;
  /** 429s Lago answered (each waited out and retried). */
  rateLimited: number;
}

const KEY_OF: Record<OrgSection, (entry: Entry) => string> = {
  taxes: (e) => String(e.code),
  metrics: (e) => String(e.code),
  plans: (e) => String(e.code),
  addOns: (e) => String(e.code),
  coupons: (e) => String(e.code),
  webhookEndpoints: (e) => String(e.webhookUrl),
  customers: (e) => String(e.externalId),
  subscriptions: (e) => String(e.externalId),
  appliedCoupons: (e) => `${String(e.externalCustomerId)}/${String(e.couponCode)}`,
  wallets: (e) => [e.externalCustomerId, e.currency, ...(e.name ? [e.name] : [])].map(String).join("/"),
};

export const entryKey = (section: OrgSection, entry: Entry): string => KEY_OF[section](entry);


/** Byte order, not locale order: the same on every machine. */
export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

