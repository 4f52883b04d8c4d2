// Derives lago/wire-types.ts from Lago's OpenAPI spec with openapi-typescript (a pinned dev dependency).
// `npx tsx scripts/lago-wire-types.ts` rewrites the file; test/architecture/lago-contract.test.ts renders it again
// and fails when the committed file differs, so the types cannot drift from the spec.
import * as fs from "node:fs";
import * as path from "node:path";

export const WIRE_TYPES_FILE = path.resolve(__dirname, "../lago/wire-types.ts");

/** The spec both sides are held to: LAGO_OPENAPI_SPEC, else shared/ beside the repository. */
export const lagoSpecPath = (): string =>
  process.env.LAGO_OPENAPI_SPEC ? path.resolve(process.env.LAGO_OPENAPI_SPEC) : path.resolve(__dirname, "../../shared/lago-openapi.yaml");

const HEADER = [
  "// Lago's wire types, generated from Lago's OpenAPI spec by openapi-typescript: data shapes only, no logic.",
  "// Do not edit: run `npx tsx scripts/lago-wire-types.ts` (test/architecture/lago-contract.test.ts checks it is current).",
  "/* eslint-disable */",
  "",
].join("\n");

/** The text lago/wire-types.ts must hold for the spec at `specFile`. */
export async function renderLagoWireTypes(specFile = lagoSpecPath()): Promise<string> {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const ast = await openapiTS(fs.readFileSync(specFile, "utf8"), { alphabetize: false, exportType: false });
  return HEADER + astToString(ast);
}

if (require.main === module) {
  renderLagoWireTypes().then((text) => {
    fs.writeFileSync(WIRE_TYPES_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), WIRE_TYPES_FILE)} (${text.length} characters)`);
  });
}
