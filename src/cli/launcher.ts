#!/usr/bin/env node
/**
 * The `kelpie` bin, dist/kelpie.mjs (scripts/bundle.mjs builds it from this file): starts the
 * CLI bundle dist/kelpie.cjs beside it with V8's code cache (codeCache.ts). Compiling the
 * bundle and, lazily, each function a run calls was the largest cost of a start that does not
 * depend on the playbook; with the cache V8 deserializes what an earlier run compiled.
 *
 * The bundle is CommonJS because only a classic script can be compiled with a cache on Node
 * 20 (vm.Script; ES modules have no such API before Node 22). It is run here the way Node runs
 * a CommonJS file, and `node dist/kelpie.cjs` runs the same code without the cache.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { buildIdOf, cacheHeader, cachePlaces, readCodeCache, writeCodeCache } from './codeCache.js';
import { tuneV8 } from './v8flags.js';

type CommonJsBody = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

const dir = dirname(fileURLToPath(import.meta.url));
const bundle = join(dir, 'kelpie.cjs');
tuneV8();

if (process.sourceMapsEnabled) {
  // (--enable-source-maps, for a -vvv trace in src/ terms) Node maps the stack of a file it
  // loads itself, not of code compiled through vm.Script: such a run goes without the cache
  createRequire(import.meta.url)(bundle);
} else {
  runWithCodeCache();
}

function runWithCodeCache(): void {
  // the bundle is ASCII (scripts/bundle.mjs checks): latin1 is the cheapest exact decoding
  const source = readFileSync(bundle, 'latin1');
  const buildId = buildIdOf(source);
  const places = cachePlaces(dir);
  const header = buildId === undefined ? undefined : cacheHeader(buildId);
  const cachedData = header === undefined ? undefined : readCodeCache(places, header);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  if (header !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // after the run, so the data holds every function it compiled, not only the top level
    process.once('exit', () => {
      try {
        writeCodeCache(places, header, script.createCachedData());
      } catch {
        // no cache this time: the next start compiles again
      }
    });
  }
  const body = script.runInThisContext() as CommonJsBody;
  const module = { exports: {} };
  body(module.exports, createRequire(bundle), module, bundle, dir);
}
