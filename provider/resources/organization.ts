// Organization: the settings of the Lago organization the API key belongs to, as a Pulumi resource (Lago's PUT
// /organizations). Its arguments are the kind's schema (kinds/organization/schema.ts), each a Pulumi input.
// One per stack: the organization is one object, and two declarations would fight over it.
import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf } from "../inputs";
import type { organizationSchema } from "../kinds/organization/schema";
import { LagoResource } from "./reference";

/**
 * The settings to manage; one left out stays as Lago has it. Declaring the organization takes it over (Lago always
 * has one), so `adopt` is implied. `allowDestroy`: allow removing the resource, which leaves Lago as it is.
 */
export type OrganizationArgs = Omit<ArgsOf<typeof organizationSchema>, "adopt">;

/** Per program run (the stack resource is new on each run, also for inline programs run again in one process). */
const declared = new WeakMap<object, string>();

export class Organization extends LagoResource {
  declare readonly lagoId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: OrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    const run = pulumi.runtime.getStackResource();
    const first = run ? declared.get(run) : undefined;
    if (first !== undefined)
      throw new Error(`Organization "${name}": the organization is already declared in this stack (as "${first}"); declare it once, with every setting to manage`);
    if (run) declared.set(run, name);
    super("Organization", name, { ...args, adopt: true, lagoId: undefined, name: undefined, createdAt: undefined }, opts);
  }
}
