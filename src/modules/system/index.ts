import type { AnyModule } from '../types.js';
import group from './group.js';
import postconf from './postconf.js';
import service from './service.js';
import sysctl from './sysctl.js';
import systemd from './systemd.js';
import sysvinit from './sysvinit.js';
import timezone from './timezone.js';
import user from './user.js';
import selinuxModule from './selinux_module.js';
import selinuxAuto from './selinux_auto.js';
import xenVcpus from './xen_vcpus.js';
import execstack from './execstack.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [service, systemd, sysvinit, user, group, timezone, sysctl, postconf, selinuxModule, selinuxAuto, xenVcpus, execstack];
