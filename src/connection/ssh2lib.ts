/**
 * The ssh2 library, loaded on first use instead of at startup: it pulls in its crypto
 * binding and ~40 files, and most invocations that never open a connection
 * (`--syntax-check`, `doc`, `inventory`, `vault`) would pay for it on every start.
 * It is CommonJS, so `require` returns the one instance a static import would.
 */
import { createRequire } from 'node:module';
import type ssh2 from 'ssh2';

let lib: typeof ssh2 | undefined;

export function ssh2lib(): typeof ssh2 {
  lib ??= createRequire(import.meta.url)('ssh2') as typeof ssh2;
  return lib;
}
