// lago/wire-types.ts is derived from Lago's OpenAPI spec (scripts/lago-wire-types.ts, openapi-typescript pinned):
// rendering it again from the spec must give the committed file, so the wire types cannot drift from the spec.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { lagoSpecPath, renderLagoWireTypes, WIRE_TYPES_FILE } from "../../scripts/lago-wire-types";

describe("lago/ wire types", () => {
  it("are what the spec renders to today (run `npx tsx scripts/lago-wire-types.ts` after a spec change)", async () => {
    expect(fs.existsSync(lagoSpecPath()), `Lago's OpenAPI spec is missing at ${lagoSpecPath()} (or set LAGO_OPENAPI_SPEC)`).toBe(true);
    const rendered = await renderLagoWireTypes();
    const committed = fs.readFileSync(WIRE_TYPES_FILE, "utf8");
    expect(committed.length).toBe(rendered.length);
    expect(committed === rendered).toBe(true);
  }, 60_000);

  it("hold the current usage contract the local Lago answers with", () => {
    const text = fs.readFileSync(WIRE_TYPES_FILE, "utf8");
    expect(text).toMatch(/CustomerUsageObject: \{[^}]*charges_usage: components\["schemas"\]\["CustomerChargeUsageObject"\]\[\];/s);
  });
});
