/**
 * Node's test runner, assertions and the few file helpers that tests of shared/ and
 * renderer/ code need. Those folders hold browser-safe product code; their tests run in
 * Node, and import Node through this one module so the folders themselves stay free of it.
 */
export { default as test, describe, it, before, after, beforeEach, afterEach, mock, type TestContext } from 'node:test';
export { default as assert } from 'node:assert/strict';
export { readFileSync, readdirSync, globSync } from 'node:fs';
export { join } from 'node:path';
