import { defineConfig } from "vitest/config";

// End-to-end tests: Debian's Chromium driven by playwright-core against
// `accord serve` on the demo registry (see e2e/server.ts).
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
