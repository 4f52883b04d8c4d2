"use strict";
// Entry for the Pulumi CLI (the repository's Pulumi.yaml). Plain JavaScript so no build step is needed: it
// registers tsx and hands Pulumi the TypeScript program, which Pulumi runs because the export is a function.
const fs = require("fs");
const path = require("path");
require("tsx/cjs");

// Pulumi's dynamic-provider host resolves `pulumi-lago/...` from the project directory. A project that installs
// pulumi-lago has it in node_modules; this checkout links itself there (node_modules is never committed).
const root = path.resolve(__dirname, "..", "..");
const link = path.join(root, "node_modules", "pulumi-lago");
// A link left by another checkout sharing this node_modules would load that checkout's code: point it here.
let target;
try {
  target = fs.readlinkSync(link);
} catch {
  target = undefined;
}
if (target !== root) {
  fs.rmSync(link, { recursive: false, force: true });
  fs.symlinkSync(root, link, "dir");
}

module.exports = require("./index.ts").segmentProgram();
