/** The module catalogue: each area keeps its own list; this file only joins them. */
import { registerModules } from './registry.js';
import { modules as files } from './files/index.js';
import { modules as commands } from './commands/index.js';
import { modules as control } from './control/index.js';
import { modules as system } from './system/index.js';
import { modules as packages } from './packages/index.js';
import { modules as network } from './network/index.js';

let done = false;
export function loadModules(): void {
  if (done) return;
  done = true;
  registerModules([...files, ...commands, ...control, ...system, ...packages, ...network]);
}

export { allModules, getModule, moduleNames } from './registry.js';
