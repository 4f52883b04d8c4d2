"use strict";
// The provider runtime as the dynamic-provider host sees it: each serialized provider method only does
// `require("pulumi-lago/provider/runtime").<kind>.<method>(...)`, so the heavy code is loaded here, never captured.
module.exports = require("./runtime-loader.js").loadPackageModule("provider/runtime");
