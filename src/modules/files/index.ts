import type { AnyModule } from '../types.js';
import blockinfile from './blockinfile.js';
import copy from './copy.js';
import fetch from './fetch.js';
import file from './file.js';
import find from './find.js';
import lineinfile from './lineinfile.js';
import replace from './replace.js';
import slurp from './slurp.js';
import stat from './stat.js';
import template from './template.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [blockinfile, copy, fetch, file, find, lineinfile, replace, slurp, stat, template] as AnyModule[];
