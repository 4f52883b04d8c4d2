// An organization snapshot written for people: the catalog YAML that loadCatalog reads (or typed TypeScript
// resources), a comment naming each object, prices as the decimal strings Lago holds, objects the catalog cannot
// express as commented blocks with the reason. Pure and deterministic: the same snapshot gives the same bytes.
import { stringify } from "yaml";
import { compareKeys, entryKey, ORG_SECTIONS, type Entry, type OrgSection, type OrgSnapshot, type Unexpressible } from "./sections";

type Json = Record<string, unknown>;

/** Where a webhook endpoint's URL comes from when the program runs: never the file (it often carries a token). */
export interface WebhookSource {
  /** The environment variable the program reads the URL from. */
  env: string;
  /** The endpoint's host, to tell the person which URL to put there. */
  host: string;
  name?: string;
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
};

/** One environment variable per endpoint, named after the endpoint (else its host), unique in the export. */
export function webhookSources(endpoints: readonly Entry[]): WebhookSource[] {
  const taken = new Set<string>();
  return endpoints.map((e) => {
    const host = hostOf(String(e.webhookUrl));
    const base = `LAGO_WEBHOOK_URL_${(typeof e.name === "string" && e.name.trim() ? e.name : host).toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
    let env = base;
    for (let n = 2; taken.has(env); n++) env = `${base}_${n}`;
    taken.add(env);
    return { env, host, ...(typeof e.name === "string" && e.name ? { name: e.name } : {}) };
  });
}

// ---------------------------------------------------------------- what each object is, in words

const CURRENCY_DIGITS = new Map<string, number>();
function money(cents: unknown, currency: unknown): string {
  if (typeof cents !== "number" || typeof currency !== "string") return "?";
  let digits = CURRENCY_DIGITS.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    CURRENCY_DIGITS.set(currency, digits);
  }
  const amount = (cents / 10 ** digits).toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${amount} ${currency}`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** One line saying what the object is. */
export function describe(section: OrgSection, e: Entry): string {
  switch (section) {
    case "taxes":
      return `Tax "${e.name}": ${e.rate} %`;
    case "metrics":
      return `Billable metric "${e.name}": ${e.aggregationType}${e.fieldName ? ` of ${e.fieldName}` : ""}${e.recurring ? ", recurring" : ""}`;
    case "plans": {
      const charges = Array.isArray(e.charges) ? e.charges.length : 0;
      const fixed = Array.isArray(e.fixedCharges) ? e.fixedCharges.length : 0;
      const extras = [charges ? plural(charges, "charge") : "", fixed ? plural(fixed, "fixed charge") : ""].filter(Boolean).join(", ");
      return `Plan "${e.name}": ${money(e.amountCents, e.amountCurrency)} ${e.interval}${extras ? `, ${extras}` : ""}`;
    }
    case "addOns":
      return `Add-on "${e.name}": ${money(e.amountCents, e.amountCurrency)}`;
    case "coupons": {
      const off = e.couponType === "percentage" ? `${e.percentageRate} % off` : `${money(e.amountCents, e.amountCurrency)} off`;
      const length = e.frequency === "recurring" ? `for ${plural(Number(e.frequencyDuration), "billing period")}` : String(e.frequency);
      return `Coupon "${e.name}": ${off}, ${length}`;
    }
    case "webhookEndpoints":
      return `Webhook endpoint${e.name ? ` "${e.name}"` : ""}`;
    case "customers":
      return `Customer ${e.name ? `"${e.name}"` : `"${e.externalId}"`}${e.currency ? ` (${e.currency})` : ""}`;
    case "subscriptions":
      return `Subscription${e.name ? ` "${e.name}"` : ""}: customer "${e.externalCustomerId}" on plan "${e.planCode}"${e.planOverrides ? ", with overrides of its own" : ""}`;
    case "appliedCoupons":
      return `Coupon "${e.couponCode}" applied to customer "${e.externalCustomerId}"`;
    case "wallets": {
      const rules = Array.isArray(e.recurringTransactionRules) ? e.recurringTransactionRules.length : 0;
      return `Wallet${e.name ? ` "${e.name}"` : ""} of customer "${e.externalCustomerId}" in ${e.currency}, 1 credit = ${e.rateAmount} ${e.currency}${rules ? ", with a recurring top-up" : ""}`;
    }
  }
}

// ---------------------------------------------------------------- YAML

/** The key argument first, the name next, then the kind's own order. */
const KEY_ARGS: Record<OrgSection, string[]> = {
  taxes: ["code", "name"],
  metrics: ["code", "name"],
  plans: ["code", "name"],
  addOns: ["code", "name"],
  coupons: ["code", "name"],
  webhookEndpoints: ["webhookUrlEnv", "name"],
  customers: ["externalId", "name"],
  subscriptions: ["externalId", "externalCustomerId", "planCode", "name"],
  appliedCoupons: ["externalCustomerId", "couponCode"],
  wallets: ["externalCustomerId", "currency", "name"],
};

function ordered(section: OrgSection, entry: Json): Json {
  const out: Json = {};
  for (const key of KEY_ARGS[section]) if (key in entry) out[key] = entry[key];
  for (const [key, value] of Object.entries(entry)) if (!(key in out)) out[key] = value;
  return out;
}

const indent = (text: string, prefix: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");

const yamlItem = (entry: Json) => stringify([entry], { lineWidth: 0 });

/** An export's webhook entries: the URL replaced by the environment variable holding it. */
function webhookEntry(entry: Entry, source: WebhookSource): Json {
  const { webhookUrl: _secret, ...rest } = entry;
  return { webhookUrlEnv: source.env, ...rest };
}

export interface Rendered {
  /** File name → content. */
  files: Record<string, string>;
  webhooks: WebhookSource[];
}

const HEADER = [
  "# Lago organization exported by `pulumi-lago export`: every object as the arguments of its pulumi-lago resource",
  "# (prices are the decimal strings Lago holds). index.ts applies it with adopt: true, so the first `pulumi up` takes",
  "# the objects over without writing to Lago; adoption only counts when a resource is created, so after that first up",
  "# a deletion in Lago is drift (`pulumi refresh` drops it, the next preview shows it created again).",
];

/** Objects the catalog cannot express, by section. */
const bySection = (unexpressible: readonly Unexpressible[]) => {
  const map = new Map<OrgSection, Unexpressible[]>();
  for (const u of [...unexpressible].sort((a, b) => compareKeys(a.key, b.key))) map.set(u.section, [...(map.get(u.section) ?? []), u]);
  return map;
};

function commentedBlock(section: OrgSection, u: Unexpressible, source?: WebhookSource): string {
  const entry = section === "webhookEndpoints" && source ? webhookEntry(u.entry, source) : section === "webhookEndpoints" ? { ...u.entry, webhookUrl: "(secret, not written)" } : u.entry;
  return [
    `  # NOT MANAGED: ${describe(section, u.entry)} (${u.key}): ${u.reason}.`,
    "  # Written as Lago holds it, out of the stack: uncomment it once the catalog can express it.",
    indent(yamlItem(ordered(section, entry)), "  # "),
  ].join("\n");
}

/** The catalog YAML: one section per section read, entries in key order, each under a comment naming it. */
export function renderCatalogYaml(snapshot: OrgSnapshot, webhooks: readonly WebhookSource[]): string {
  const out: string[] = [...HEADER];
  const notManaged = bySection(snapshot.unexpressible);
  for (const section of ORG_SECTIONS) {
    const entries = snapshot.sections[section];
    if (!entries) continue;
    const commented = notManaged.get(section) ?? [];
    out.push("", entries.length ? `${section}:` : `${section}: []`);
    entries.forEach((entry, i) => {
      const source = section === "webhookEndpoints" ? webhooks[i] : undefined;
      const written = source ? webhookEntry(entry, source) : entry;
      const where = source ? ` at ${source.host}: its URL is read from $${source.env}` : "";
      out.push(`  # ${describe(section, entry)}${where}`, indent(yamlItem(ordered(section, written)), "  "));
    });
    for (const u of commented) out.push(commentedBlock(section, u));
  }
  return out.join("\n") + "\n";
}

/** The short program applying the catalog. */
export function renderIndexTs(webhooks: readonly WebhookSource[]): string {
  return [
    "// The Lago organization exported by `pulumi-lago export`, applied from catalog.yaml.",
    "// adopt: true takes over, on the first `pulumi up`, the objects that already exist in Lago (no write when they",
    "// match). Adoption only counts when a resource is created: after that first up, a deletion in Lago is drift",
    "// (`pulumi refresh` drops it from the stack and the next preview shows it created again), never silently re-adopted.",
    ...(webhooks.length ? [`// Webhook endpoint URLs are read from ${webhooks.map((w) => `$${w.env}`).join(", ")} (they often carry a token).`] : []),
    'import * as path from "node:path";',
    'import { catalogResources, loadCatalog } from "pulumi-lago";',
    "",
    'export const lago = catalogResources(loadCatalog(path.join(__dirname, "catalog.yaml")), { adopt: true });',
    "",
  ].join("\n");
}

// ---------------------------------------------------------------- TypeScript

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const literal = (value: unknown, depth: number): string => {
  const pad = "  ".repeat(depth);
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    return `[\n${value.map((v) => `${pad}  ${literal(v, depth + 1)},`).join("\n")}\n${pad}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Json);
    if (!entries.length) return "{}";
    return `{\n${entries.map(([k, v]) => `${pad}  ${IDENT.test(k) ? k : JSON.stringify(k)}: ${literalOrRaw(v, depth + 1)},`).join("\n")}\n${pad}}`;
  }
  return JSON.stringify(value);
};

/** A value written as code (a resource variable, an env read) rather than data. */
class Raw {
  constructor(readonly code: string) {}
}
const literalOrRaw = (value: unknown, depth: number): string => (value instanceof Raw ? value.code : literal(value, depth));

const CLASS_OF: Record<OrgSection, string> = {
  taxes: "Tax",
  metrics: "BillableMetric",
  plans: "Plan",
  addOns: "AddOn",
  coupons: "Coupon",
  webhookEndpoints: "WebhookEndpoint",
  customers: "Customer",
  subscriptions: "Subscription",
  appliedCoupons: "AppliedCoupon",
  wallets: "Wallet",
};

/** Resource names as catalogResources gives them, so switching formats keeps the stack's state. */
function resourceName(section: OrgSection, e: Entry, webhook?: WebhookSource): string {
  switch (section) {
    case "taxes":
      return `tax-${e.code}`;
    case "metrics":
      return `metric-${e.code}`;
    case "plans":
      return `plan-${e.code}`;
    case "addOns":
      return `addon-${e.code}`;
    case "coupons":
      return `coupon-${e.code}`;
    case "webhookEndpoints":
      return `webhook-${webhook?.env}`;
    case "customers":
      return `customer-${e.externalId}`;
    case "subscriptions":
      return `subscription-${e.externalId}`;
    case "appliedCoupons":
      return `applied-coupon-${e.externalCustomerId}-${e.couponCode}`;
    case "wallets":
      return `wallet-${[e.externalCustomerId, e.currency, ...(e.name ? [e.name] : [])].map(String).join("-")}`;
  }
}

const variable = (name: string) => {
  const v = name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^[^A-Za-z_$]/, "_$&");
  return v;
};

/** Typed resources: the same objects, names and arguments as the catalog, references as resources. */
export function renderTypescript(snapshot: OrgSnapshot, webhooks: readonly WebhookSource[]): string {
  const out: string[] = [
    ...HEADER.map((l) => l.replace(/^# /, "// ").replace("index.ts applies it", "This program applies it")),
    'import * as lago from "pulumi-lago";',
    "",
    "/** A webhook endpoint's URL, from the environment (it often carries a token, so it is never written here). */",
    "function requiredEnv(name: string): string {",
    "  const value = process.env[name];",
    "  if (!value) throw new Error(`the environment variable ${name} is not set: set it to the webhook endpoint's URL`);",
    "  return value;",
    "}",
  ];
  const vars = new Map<string, string>();
  const refer = (section: OrgSection, key: string) => vars.get(`${section}\u0000${key}`);
  const notManaged = bySection(snapshot.unexpressible);
  for (const section of ORG_SECTIONS) {
    const entries = snapshot.sections[section];
    if (!entries) continue;
    out.push("", `// ---------------------------------------------------------------- ${section}`);
    entries.forEach((entry, i) => {
      const webhook = section === "webhookEndpoints" ? webhooks[i] : undefined;
      const name = resourceName(section, entry, webhook);
      const v = variable(name);
      const args: Json = { ...ordered(section, entry) };
      const dependsOn: string[] = [];
      const taxVars = (codes: unknown) => (Array.isArray(codes) ? codes.map((c) => refer("taxes", String(c))).filter((x): x is string => !!x) : []);
      if (section === "plans") {
        dependsOn.push(
          ...taxVars(args.taxCodes),
          ...taxVars((args.minimumCommitment as Json | undefined)?.taxCodes),
          ...(Array.isArray(args.charges) ? (args.charges as Json[]).flatMap((c) => taxVars(c.taxCodes)) : []),
          ...(Array.isArray(args.fixedCharges) ? (args.fixedCharges as Json[]).flatMap((c) => [...taxVars(c.taxCodes), refer("addOns", String(c.addOnCode))!]) : []),
        );
        if (Array.isArray(args.charges))
          args.charges = (args.charges as Json[]).map(({ billableMetricCode, ...c }) => ({ billableMetric: new Raw(refer("metrics", String(billableMetricCode))!), ...c }));
      }
      if (section === "addOns" || section === "customers") dependsOn.push(...taxVars(args.taxCodes));
      if (section === "coupons")
        dependsOn.push(
          ...(Array.isArray(args.planCodes) ? args.planCodes.map((c) => refer("plans", String(c))!) : []),
          ...(Array.isArray(args.billableMetricCodes) ? args.billableMetricCodes.map((c) => refer("metrics", String(c))!) : []),
        );
      if (section === "webhookEndpoints") {
        delete args.webhookUrl;
        Object.assign(args, { webhookUrl: new Raw(`requiredEnv(${JSON.stringify(webhook!.env)})`) });
      }
      let call: Json = args;
      if (section === "subscriptions") {
        const { externalCustomerId, planCode, ...rest } = args;
        call = { ...rest, customer: new Raw(refer("customers", String(externalCustomerId))!), plan: new Raw(refer("plans", String(planCode))!) };
      }
      if (section === "appliedCoupons") {
        const { externalCustomerId, couponCode, ...rest } = args;
        call = { customer: new Raw(refer("customers", String(externalCustomerId))!), coupon: new Raw(refer("coupons", String(couponCode))!), ...rest };
      }
      if (section === "wallets") {
        const { externalCustomerId, ...rest } = args;
        call = { customer: new Raw(refer("customers", String(externalCustomerId))!), ...rest };
      }
      call = { ...call, adopt: true };
      vars.set(`${section}\u0000${section === "webhookEndpoints" ? webhook!.env : entryKeyFor(section, entry)}`, v);
      const deps = [...new Set(dependsOn)];
      const where = webhook ? ` at ${webhook.host}: its URL is read from $${webhook.env}` : "";
      out.push(
        `// ${describe(section, entry)}${where}`,
        `export const ${v} = new lago.${CLASS_OF[section]}(${JSON.stringify(name)}, ${literal(call, 0)}${deps.length ? `, { dependsOn: [${deps.join(", ")}] }` : ""});`,
      );
    });
    for (const u of notManaged.get(section) ?? []) {
      const entry = section === "webhookEndpoints" ? { ...u.entry, webhookUrl: "(secret, not written)" } : u.entry;
      out.push(
        `// NOT MANAGED: ${describe(section, u.entry)} (${u.key}): ${u.reason}.`,
        "// Written as Lago holds it (catalog arguments), out of the stack:",
        indent(literal(ordered(section, entry), 0), "//   "),
      );
    }
  }
  return out.join("\n") + "\n";
}

const entryKeyFor = (section: OrgSection, e: Entry): string => entryKey(section, e);

/** Every file of an export in `format`. */
export function renderExport(snapshot: OrgSnapshot, format: "yaml" | "ts"): Rendered {
  const webhooks = webhookSources(snapshot.sections.webhookEndpoints ?? []);
  const files: Record<string, string> =
    format === "yaml" ? { "catalog.yaml": renderCatalogYaml(snapshot, webhooks), "index.ts": renderIndexTs(webhooks) } : { "index.ts": renderTypescript(snapshot, webhooks) };
  return { files, webhooks };
}
