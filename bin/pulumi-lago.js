#!/usr/bin/env node
// The `pulumi-lago` command. An installed package runs the compiled CLI under dist/; a source checkout (which has
// bin/cli.ts and tsx among its development dependencies) compiles the TypeScript CLI on the fly instead.
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
cli.main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  // A failure the CLI did not expect still gets one line: what went wrong, never a stack trace.
  (error) => {
    console.error(`pulumi-lago: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
