"use strict";
// Plain JavaScript on purpose: it runs inside Pulumi's dynamic-provider host, which knows nothing of TypeScript.
// A checkout (and the repo's tests) has the .ts sources and no build step, so they are compiled on load by tsx;
// an installed package has only the compiled files under dist/.
const fs = require("fs");
const path = require("path");

const packageRoot = path.join(__dirname, "..");

/** Loads `<relative>.ts` through tsx when the source is present, else `dist/<relative>.js`. */
function loadPackageModule(relative, root = packageRoot) {
  const source = path.join(root, `${relative}.ts`);
  if (fs.existsSync(source)) {
    require("tsx/cjs"); // registers the .ts hook once per process; later calls are no-ops
    return require(source);
  }
  const built = path.join(root, "dist", `${relative}.js`);
  if (fs.existsSync(built)) return require(built);
  throw new Error(`pulumi-lago: neither ${source} nor ${built} exists; run \`npm run build\` or reinstall the package`);
}

module.exports = { loadPackageModule };
