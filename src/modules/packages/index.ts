import type { AnyModule } from '../types.js';
import apt from './apt.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [apt];
