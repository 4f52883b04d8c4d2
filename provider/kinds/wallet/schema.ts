// Wallet arguments and Lago's rules for them (app/services/wallets/validate_service.rb,
// app/services/wallets/recurring_transaction_rules/validate_service.rb, app/models/wallet.rb,
// app/models/recurring_transaction_rule.rb), checked before any API call.
import { z } from "zod";
import { isLagoCurrency } from "../../currencies";
import { decimalProblem, isDecimal } from "../../decimal";
import Decimal from "decimal.js";
import { ALWAYS_RUN, decimalArg, identifierArg, known, providerOptions } from "../../schema";
import { instant } from "../coupon/schema";

export const RULE_TRIGGERS = ["interval", "threshold"] as const;
export const RULE_METHODS = ["fixed", "target"] as const;
/** RecurringTransactionRule::INTERVALS. */
export const RULE_INTERVALS = ["weekly", "monthly", "quarterly", "semiannual", "yearly"] as const;

const present = (v: unknown) => v !== undefined && v !== null;
const above0 = (v: unknown) => isDecimal(v) && new Decimal(String(v).trim()).gt(0);

/** How many decimals the currency's amounts have (2 for USD, 0 for JPY), as Lago's money gem counts them. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2; // a currency Intl does not know
  }
}

/** WalletCredit.rounds_to_zero?: credits above 0 worth less than half the currency's smallest unit at this rate. */
function roundsToZero(credits: unknown, rate: unknown, currency: unknown): boolean {
  if (!isDecimal(credits) || !above0(rate) || typeof currency !== "string" || !isLagoCurrency(currency)) return false;
  const amount = new Decimal(String(credits).trim()).toDecimalPlaces(5, Decimal.ROUND_FLOOR);
  if (!amount.gt(0)) return false;
  return amount.times(String(rate).trim()).toDecimalPlaces(currencyDigits(currency), Decimal.ROUND_HALF_UP).isZero();
}

/** A credit amount: a decimal string (Lago refuses a JSON number, validators/decimal_amount_service.rb), never negative. */
const credits = decimalArg;

/** A recurring top-up (Lago keeps at most one per wallet). Lago runs the rules only with a premium licence. */
export const recurringRuleSchema = z
  .strictObject(
    {
      /** interval: every `interval`; threshold: when the ongoing balance falls to `thresholdCredits`. */
      trigger: z.enum(RULE_TRIGGERS, { error: `must be one of ${RULE_TRIGGERS.join(", ")}` }),
      interval: z.enum(RULE_INTERVALS, { error: `must be one of ${RULE_INTERVALS.join(", ")}` }).optional(),
      /** threshold trigger: the credits balance at or below which the top-up runs. */
      thresholdCredits: credits().optional(),
      /** fixed (default): add paidCredits and grantedCredits; target: bring the balance to targetOngoingBalance. */
      method: z.enum(RULE_METHODS, { error: `must be one of ${RULE_METHODS.join(", ")}` }).optional(),
      targetOngoingBalance: credits().optional(),
      /** Credits bought at each top-up (invoiced to the customer). */
      paidCredits: credits().optional(),
      /** Credits given at each top-up (free). */
      grantedCredits: credits().optional(),
      /** interval trigger: the date the intervals count from (default: the wallet's creation). */
      startedAt: instant.optional(),
      /** The rule stops after this date. */
      expirationAt: instant.optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "are" : "is"} not a recurring transaction rule field this provider manages` : undefined) },
  )
  .superRefine((r, ctx) => {
    const trigger: unknown = r.trigger;
    const method: unknown = r.method ?? "fixed";
    if (trigger === "interval" && !present(r.interval))
      ctx.addIssue({ code: "custom", path: ["interval"], message: `is required with trigger: interval (one of ${RULE_INTERVALS.join(", ")})` });
    if (trigger === "interval" && known(r.thresholdCredits))
      ctx.addIssue({ code: "custom", path: ["thresholdCredits"], message: "applies to trigger: threshold only: drop it" });
    if (trigger === "threshold" && !present(r.thresholdCredits))
      ctx.addIssue({ code: "custom", path: ["thresholdCredits"], message: 'is required with trigger: threshold (the balance in credits that starts a top-up, e.g. "10")' });
    if (trigger === "threshold" && known(r.interval))
      ctx.addIssue({ code: "custom", path: ["interval"], message: "applies to trigger: interval only: drop it" });
    if (method === "target") {
      if (!present(r.targetOngoingBalance))
        ctx.addIssue({ code: "custom", path: ["targetOngoingBalance"], message: 'is required with method: target (the balance in credits each top-up restores, e.g. "100")' });
      else if (trigger === "threshold" && isDecimal(r.targetOngoingBalance) && isDecimal(r.thresholdCredits) && new Decimal(String(r.targetOngoingBalance)).lt(String(r.thresholdCredits)))
        ctx.addIssue({ code: "custom", path: ["targetOngoingBalance"], message: `must be at least thresholdCredits (${String(r.thresholdCredits)}): a top-up must lift the balance above its threshold` });
    }
    if (method === "fixed") {
      if (known(r.targetOngoingBalance))
        ctx.addIssue({ code: "custom", path: ["targetOngoingBalance"], message: "applies to method: target only: drop it, or set method: target" });
      // Lago copies the wallet's own paid and granted credits into a fixed rule that names neither
      // (recurring_transaction_rules/create_service.rb): the rule says what it tops up.
      const unknownCredits = [r.paidCredits, r.grantedCredits].some((c) => present(c) && !known(c));
      if (!unknownCredits && !above0(r.paidCredits) && !above0(r.grantedCredits))
        ctx.addIssue({ code: "custom", path: ["paidCredits"], message: "or grantedCredits must be above 0: a fixed rule adds these credits at each top-up" });
    }
  }, ALWAYS_RUN);

export const walletShape = {
  /** The customer, by external id (or pass `customer`: a Customer resource). A wallet never moves to another customer. */
  externalCustomerId: identifierArg("the customer's external id, or pass customer: a Customer resource"),
  /** ISO 4217, upper case. Lago gives the wallet the customer's currency (and sets the customer's when it has none). */
  currency: z
    .string({ error: 'is required (the wallet\'s currency, e.g. "USD")' })
    .refine(isLagoCurrency, { error: (i) => `"${String(i.input)}" is not a currency Lago accepts (upper-case ISO 4217, e.g. "USD")` }),
  /** What one credit is worth in the currency ("1" = one credit is 1.00). */
  rateAmount: z.custom<string | number>((v) => above0(v), {
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? 'is required (what one credit is worth in the currency, e.g. "1")'
        : (decimalProblem(issue.input) ?? `must be above 0 (got ${String(issue.input)}): what one credit is worth in the currency`),
  }),
  name: z.string({ error: "must be a string" }).nullish(),
  /** Credits bought when the wallet is created (invoiced). Creation only: a later top-up is a wallet transaction. */
  paidCredits: credits().optional(),
  /** Credits given when the wallet is created. Creation only. */
  grantedCredits: credits().optional(),
  /** After this date Lago terminates the wallet (its remaining credit is lost). */
  expirationAt: instant.nullish(),
  /** Paid credits are granted only once their invoice is paid (Lago's default: false). */
  invoiceRequiresSuccessfulPayment: z.boolean({ error: "must be true or false" }).optional(),
  /** At most one rule (Lago: invalid_number_of_recurring_rules). */
  recurringTransactionRules: z
    .array(recurringRuleSchema, { error: "must be a list of recurring transaction rules" })
    .refine((rules) => rules.length <= 1, { message: "must hold at most one rule: Lago keeps one recurring transaction rule per wallet (invalid_number_of_recurring_rules)" })
    .optional(),
  ...providerOptions,
};

export const walletSchema = z
  .strictObject(walletShape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")} ${issue.keys.length > 1 ? "do" : "does"} not apply to a wallet` : undefined),
  })
  .superRefine((w, ctx) => {
    for (const key of ["paidCredits", "grantedCredits"] as const)
      if (roundsToZero(w[key], w.rateAmount, w.currency))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `is worth less than the smallest amount of ${String(w.currency)} at rateAmount ${String(w.rateAmount)} (Lago refuses it: amount_rounds_to_zero): raise the credits or the rate`,
        });
  }, ALWAYS_RUN);

export type WalletInputs = z.infer<typeof walletSchema>;
export type RecurringRuleInputs = z.infer<typeof recurringRuleSchema>;
