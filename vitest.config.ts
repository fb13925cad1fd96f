import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/compiler/**/*.test.ts"],
    setupFiles: ["test/compiler/support/setup.ts"],
    testTimeout: 30_000,
  },
});
