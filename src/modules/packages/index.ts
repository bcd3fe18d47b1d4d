import type { AnyModule } from '../types.js';
import apt from './apt.js';
import pkg from './package.js';
import { dnf, yum } from './yum.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [apt, yum, dnf, pkg];
