import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end suites drive the Pulumi engine; running files one at a time keeps a 2-core CI machine steady.
    fileParallelism: false,
  },
});
