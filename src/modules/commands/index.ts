import type { AnyModule } from '../types.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [];
