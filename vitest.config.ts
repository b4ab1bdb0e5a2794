import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Removes each file's temporary directories after it (RCU_KEEP_TEST_DIRS=1 keeps them).
    setupFiles: ["test/setup.ts"],
    // DuckDB end-to-end tests open real database files; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two files at a time. Vitest's default is one fewer than the cores: one worker here, and the
    // PostgreSQL and Redshift test servers (PGlite) run on a single thread, so half the machine
    // sat idle. Measured on this 2-core machine: the suite 569 s with one worker, 351 s with two.
    maxWorkers: 2,
  },
});
