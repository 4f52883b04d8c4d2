"use strict";
// `npm run build` starts from an empty dist/, so a file whose source was moved or deleted is never published.
require("node:fs").rmSync(require("node:path").join(__dirname, "..", "dist"), { recursive: true, force: true });
