import type { AnyModule } from '../types.js';
import service from './service.js';
import systemd from './systemd.js';
import sysvinit from './sysvinit.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [service, systemd, sysvinit];
