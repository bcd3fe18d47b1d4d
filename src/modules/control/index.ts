import type { AnyModule } from '../types.js';
import debug from './debug.js';
import setFact from './setFact.js';
import assert from './assert.js';
import fail from './fail.js';
import { groupBy, addHost } from './inventoryChanges.js';
import validateArgumentSpec from './validateArgumentSpec.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [debug, setFact, assert, fail, groupBy, addHost, validateArgumentSpec];
