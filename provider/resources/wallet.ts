// Wallet: a customer's prepaid credit as a Pulumi resource. Its arguments are the kind's schema
// (kinds/wallet/schema.ts), each a Pulumi input, with the customer given as a resource of this stack or by external id.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf, Inputs } from "../inputs";
import type { recurringRuleSchema, walletSchema } from "../kinds/wallet/schema";
import type { Customer } from "./customer";
import { LagoResource } from "./reference";

type Declared = ArgsOf<typeof walletSchema>;

export type WalletRecurringRuleArgs = Inputs<z.input<typeof recurringRuleSchema>>;

/**
 * `paidCredits` and `grantedCredits` are granted once, when the wallet is created: a later change of them is refused
 * at preview (a top-up is a wallet transaction). `adopt`: take over the customer's active wallet in this currency
 * (the one with this name, or its only one) as it is, granting nothing. `allowDestroy`: allow terminating the wallet
 * (deleting it, or replacing it to change the customer, the currency or the rate): its remaining credit is lost.
 */
export type WalletArgs = Omit<Declared, "externalCustomerId"> &
  Partial<Pick<Declared, "externalCustomerId">> & {
    /** The customer as a resource of this stack (or `externalCustomerId`). */
    customer?: Customer;
  };

export class Wallet extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  /** active, or terminated (deleted, expired, or ended in Lago). */
  declare readonly status: pulumi.Output<"active" | "terminated">;
  declare readonly balanceCents: pulumi.Output<number>;
  /** The credits left, a decimal string. */
  declare readonly creditsBalance: pulumi.Output<string>;
  /** The balance once the current period's usage is paid from it. */
  declare readonly ongoingBalanceCents: pulumi.Output<number>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly terminatedAt: pulumi.Output<string | null>;

  constructor(name: string, args: WalletArgs, opts?: pulumi.CustomResourceOptions) {
    const { customer, ...rest } = args;
    const computed = { lagoId: undefined, status: undefined, balanceCents: undefined, creditsBalance: undefined, ongoingBalanceCents: undefined, createdAt: undefined, terminatedAt: undefined };
    super("Wallet", name, { ...rest, externalCustomerId: rest.externalCustomerId ?? customer?.externalId, ...computed }, opts);
  }
}
