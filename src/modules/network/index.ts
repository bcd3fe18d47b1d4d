import type { AnyModule } from '../types.js';
import ipAddress from './ip_address.js';
import ipRoute from './ip_route.js';
import ipRule from './ip_rule.js';
import ipvs from './ipvs.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [ipAddress, ipRule, ipRoute, ipvs];
