/**
 * Ansible's YAML: version 1.1 as PyYAML resolves it. Every YAML file kelpie reads
 * (playbooks, roles, inventories, group_vars/host_vars, vars_files, include_vars, -e @file,
 * from_yaml) goes through these options, so `flag: yes` is the same boolean everywhere.
 * Recorded against ansible-playbook in test/fixtures/ansible-golden/yaml11.
 */
import { LineCounter, parseDocument, type Document, type ScalarTag, type Tags } from 'yaml';
import { ConfigError } from './errors.js';
import { PyFloat } from './template/pyvalue.js';
import { UnsafeText } from './template/scope.js';

const BOOL = 'tag:yaml.org,2002:bool';
const FLOAT = 'tag:yaml.org,2002:float';
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';

// PyYAML's 1.1 resolver: y/n are NOT booleans (the yaml library treats them as such).
const trueTag: ScalarTag = {
  identify: (v) => v === true,
  default: true,
  tag: BOOL,
  test: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  resolve: () => true,
};
const falseTag: ScalarTag = {
  identify: (v) => v === false,
  default: true,
  tag: BOOL,
  test: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  resolve: () => false,
};
// PyYAML's float: a dot is required and an exponent needs its sign (`1.5e3` is a string).
const floatTag: ScalarTag = {
  identify: (v) => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v)),
  default: true,
  tag: FLOAT,
  test: /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve: (s) => {
    const t = s.replace(/_/g, '').toLowerCase();
    if (t.endsWith('.inf')) return t.startsWith('-') ? -Infinity : Infinity;
    if (t === '.nan') return NaN;
    const n = Number(t);
    // `1.0` stays a float (Python prints 1.0); a JS number would print 1
    return Number.isInteger(n) ? new PyFloat(n) : n;
  },
};
// Ansible's mark for a string that must never be templated: the same box host data travels in.
const unsafeTag: ScalarTag = { tag: '!unsafe', identify: (v) => v instanceof UnsafeText, resolve: (s) => new UnsafeText(s) };
const vaultTag: ScalarTag = {
  tag: '!vault',
  resolve: (s, onError) => {
    onError('vault-encrypted values are not supported by kelpie');
    return s;
  },
};

function ansibleTags(tags: Tags): Tags {
  // Dates stay strings: Ansible renders a date as its ISO text, a JS Date would not.
  const kept = tags.filter((t) => typeof t === 'string' || (t.tag !== BOOL && t.tag !== TIMESTAMP && t.tag !== FLOAT));
  return [trueTag, falseTag, floatTag, ...kept, unsafeTag, vaultTag];
}

/** Parses YAML text as Ansible does; errors stay in `doc.errors` for the caller to locate. */
export function parseYaml11Document(text: string, opts: { lineCounter?: LineCounter; uniqueKeys?: boolean } = {}): Document.Parsed {
  return parseDocument(text, {
    version: '1.1',
    schema: 'yaml-1.1',
    customTags: ansibleTags,
    merge: true,
    uniqueKeys: opts.uniqueKeys ?? true,
    prettyErrors: false,
    ...(opts.lineCounter ? { lineCounter: opts.lineCounter } : {}),
  });
}

/** The first line of a yaml library message, without its own position suffix. */
export function yamlMessage(msg: string): string {
  const first = msg.split('\n')[0] ?? msg;
  return first.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

/** A data file (vars, -e @file) as plain JS values; a syntax error is a ConfigError at its line:col. */
export function loadYaml11(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseYaml11Document(text, { lineCounter, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new ConfigError(`YAML syntax error: ${yamlMessage(first.message)}`, { loc: { file, line, col } });
  }
  return doc.toJS({ maxAliasCount: 1000 }) as unknown;
}
