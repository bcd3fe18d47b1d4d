/**
 * The `host` area: the modules that change the system (apt, package, user, group, service,
 * sysvinit) against real lab hosts, where the other playbook areas run locally in a temp
 * dir. Cases are playbook cases (test/parity/playbooks/cases/host/*.yaml, the README's
 * format); each mode runs on a fresh host of its own, so every run starts from the same
 * image and a case sees only what the cases before it in the same run did (cases use
 * distinct package, user and group names to stay independent).
 */
import { labDown, labUp, runInHost, type Lab, type LabHost } from '../../../src/lab/index.js';
import type { CaseOutcome, ParityArea } from '../area.js';
import type { HostVars } from '../playbooks/batch.js';
import type { Mode } from '../playbooks/cases.js';
import { playbookArea } from '../playbooks/area.js';

/**
 * the lab `npm run parity`/`parity:record` start (KELPIE_LAB_PREFIX goes in front); the test
 * file has its own name, so the two can run at once
 */
const HOST_LAB = 'parity-host-cli';
/** one host per mode, in this order */
export const HOST_MODES: readonly Mode[] = ['normal', 'check', 'diff', 'checkdiff'];

/**
 * What a Debian 12 server that boots with SysV init has and the minbase lab image lacks:
 * python3-apt, which Ansible's apt module needs (in check mode it cannot install it itself),
 * and orphan-sysvinit-scripts (sysvinit-core recommends it), which gives packages that ship
 * only a systemd unit, such as rsyslog, their /etc/init.d script. Installed from the lab's
 * repository on every host, before either tool runs, so both see the same host.
 */
const HOST_PACKAGES = ['python3-apt', 'orphan-sysvinit-scripts'];

export async function prepareHosts(lab: Lab): Promise<void> {
  for (const h of lab.hosts) {
    const r = await runInHost(h, ['sh', '-c', `DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${HOST_PACKAGES.join(' ')} >/dev/null`]);
    if (r.rc !== 0) throw new Error(`preparing ${h.name}: apt-get install ${HOST_PACKAGES.join(' ')} failed:\n${r.stderr}`);
  }
}

function hostVars(lab: Lab, host: LabHost): HostVars {
  return {
    ansible_host: host.address,
    ansible_port: host.port,
    ansible_user: 'root',
    ansible_ssh_private_key_file: lab.privateKeyFile,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes`,
    ansible_python_interpreter: '/usr/bin/python3',
  };
}

/** The area on a lab that is already up and prepared (HOST_MODES.length hosts). */
export function hostAreaOn(lab: () => Lab): ParityArea {
  return playbookArea('host', {
    hostVars: (mode) => {
      const l = lab();
      const host = l.hosts[HOST_MODES.indexOf(mode)];
      if (!host) throw new Error(`lab ${l.name} has no host for mode ${mode}`);
      return hostVars(l, host);
    },
  });
}

/** Runs `use` on a fresh, prepared lab and always takes the lab down. */
async function withLab<T>(use: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await labUp(HOST_MODES.length, { name: HOST_LAB });
  try {
    await prepareHosts(lab);
    return await use(lab);
  } finally {
    await labDown(HOST_LAB);
  }
}

export const areas: ParityArea[] = [
  {
    name: 'host',
    labTest: 'test/lab/parity-host.test.ts',
    run: (opts) => withLab<CaseOutcome[]>((lab) => hostAreaOn(() => lab).run(opts)),
    record: (opts) => withLab(async (lab) => { await hostAreaOn(() => lab).record!(opts); }),
  },
];
