/**
 * Every captured (or documented-format) family output in test/fixtures/facts/<family>/
 * parses to at least the values in its <case>.expected.json (a partial match: listed
 * keys must be equal, other keys may exist; arrays must match element by element).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAMILIES } from '../../src/facts/index.js';
import { parsePackages } from '../../src/facts/packages.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/facts');

function assertSubset(actual: unknown, expected: unknown, where: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => assertSubset(actual[i], e, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
  } else assert.deepEqual(actual, expected, where);
}

const parsers: Record<string, (text: string) => unknown> = Object.fromEntries(FAMILIES.map((f) => [f.name, f.parse]));
parsers.packages = parsePackages;

describe('fact parsers against fixtures', () => {
  for (const family of readdirSync(root)) {
    const parse = parsers[family];
    describe(family, () => {
      it('has a parser', () => assert.ok(parse, `no parser for fixture dir ${family}`));
      for (const file of readdirSync(path.join(root, family)).filter((f) => f.endsWith('.txt'))) {
        const base = file.slice(0, -4);
        it(`parses ${base}`, () => {
          const text = readFileSync(path.join(root, family, file), 'utf8');
          const expected = JSON.parse(readFileSync(path.join(root, family, `${base}.expected.json`), 'utf8')) as unknown;
          assertSubset(parse!(text), expected, `${family}/${base}`);
        });
      }
    });
  }
});
