// A resource's arguments as the program writes them, derived from the kind's zod schema: every value, at every
// depth, may be a Pulumi input (an Output, a Promise or the value itself). Hand-written args interfaces drifted from
// the schema; this keeps one declaration per kind (architecture.md, "A kind is one declaration").
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

type Scalar = string | number | boolean | null | undefined;

/** `T` with each member and element a Pulumi input; unions (charge models) are wrapped member by member. */
export type Inputs<T> = T extends Scalar
  ? T
  : T extends ReadonlyArray<infer E>
    ? Array<pulumi.Input<Inputs<E>>>
    : T extends object
      ? { [K in keyof T]: pulumi.Input<Inputs<T[K]>> }
      : T;

/**
 * The args type of a resource: the schema's input type, deeply wrapped in `pulumi.Input`. Optional members stay
 * optional; JSDoc written on the schema's shape shows on the derived members.
 */
export type ArgsOf<S extends z.ZodType> = Inputs<z.input<S>>;
