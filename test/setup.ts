/**
 * Runs before every test file (vitest.config.ts `setupFiles`). Its afterAll is registered first, so
 * it runs last (vitest runs after-hooks as a stack), once the file has closed its servers and
 * databases.
 */
import { afterAll } from "vitest";
import { removeTempDirs } from "./helpers.js";

afterAll(removeTempDirs);
