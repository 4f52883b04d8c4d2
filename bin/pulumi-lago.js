#!/usr/bin/env node
// The `pulumi-lago` command. From a source checkout it compiles the TypeScript CLI on the fly with tsx;
// from a build it runs the compiled one under dist/.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "cli.ts");
const compiled = path.join(__dirname, "..", "dist", "bin", "cli.js");

let cli;
if (fs.existsSync(source)) {
  require("tsx/cjs");
  cli = require(source);
} else {
  cli = require(compiled);
}
cli.main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
