/**
 * Ansible's YAML: version 1.1 as PyYAML resolves it. Every YAML file kelpie reads
 * (playbooks, roles, inventories, group_vars/host_vars, vars_files, include_vars, -e @file,
 * from_yaml) goes through these options, so `flag: yes` is the same boolean everywhere.
 * Recorded against ansible-playbook in test/fixtures/ansible-golden/yaml11.
 */
import { isUtf8 } from 'node:buffer';
import { isCollection, isPair, LineCounter, parseAllDocuments, parseDocument, visit, YAMLParseError, type Document, type ScalarTag, type Tags } from 'yaml';
import { ConfigError } from './errors.js';
import { isFlowIndentError, originalOffset, reindentFlowContinuations } from './yaml-flow-indent.js';
import { PyFloat } from './template/pyvalue.js';
import { UnsafeText } from './template/scope.js';
import { isVaultText } from './vault/format.js';
import { decryptVaultText, rememberVaultValues } from './vault/keyring.js';

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
// the file being parsed, for the decryption error of an inline !vault value (parsing is synchronous)
let parsingFile = '';
const vaultTag: ScalarTag = {
  tag: '!vault',
  resolve: (s, onError) => {
    try {
      return decryptVaultText(s, parsingFile || 'an inline !vault value');
    } catch (e) {
      onError((e as Error).message);
      return '';
    }
  },
};

function ansibleTags(tags: Tags): Tags {
  // Dates stay strings: Ansible renders a date as its ISO text, a JS Date would not.
  const kept = tags.filter((t) => typeof t === 'string' || (t.tag !== BOOL && t.tag !== TIMESTAMP && t.tag !== FLOAT));
  return [trueTag, falseTag, floatTag, ...kept, unsafeTag, vaultTag];
}

/** Collections nested deeper than this are refused (no playbook comes near; the parser's stack would). */
const MAX_NESTING = 400;
const TOO_DEEP = 'nesting limit';

/**
 * `msg: {{ foo }}` is valid YAML: a flow mapping whose key is the mapping `{ foo }`. Ansible
 * refuses it ("unhashable") and says to quote the template; JS would turn the key into the
 * text "[object Object]"-like "{ foo }" with a Node warning. It becomes a located error here,
 * as does a nesting deeper than MAX_NESTING.
 */
function refuseCollectionKeys(doc: Document.Parsed): void {
  visit(doc, {
    Collection(_key, node, path) {
      // Whether the parser's recursion exhausts the stack depends on how warm (JIT-compiled)
      // it is, so a depth that sometimes fails must always fail: the same error, at a fixed limit.
      if (path.length < MAX_NESTING || path.filter(isCollection).length < MAX_NESTING) return undefined;
      const at = node.range?.[0] ?? 0;
      doc.errors.push(new YAMLParseError([at, at + 1], 'RESOURCE_EXHAUSTION', TOO_DEEP));
      return visit.BREAK;
    },
    Pair(_key, pair, path) {
      if (!isPair(pair) || !isCollection(pair.key)) return;
      const outer = path[path.length - 1] as { range?: [number, number, number] } | undefined;
      const at = outer?.range?.[0] ?? pair.key.range?.[0] ?? 0;
      doc.errors.push(
        new YAMLParseError([at, at + 1], 'BAD_SCALAR_START', 'a mapping or list used as a key; a value that starts with {{ must be quoted ("{{ foo }}")'),
      );
      return visit.SKIP;
    },
  });
}

type ParseOptions = { lineCounter?: LineCounter; uniqueKeys?: boolean; file?: string };

function yaml11Options(opts: ParseOptions): Parameters<typeof parseDocument>[1] {
  parsingFile = opts.file ?? '';
  return {
    version: '1.1',
    schema: 'yaml-1.1',
    customTags: ansibleTags,
    merge: true,
    uniqueKeys: opts.uniqueKeys ?? true,
    prettyErrors: false,
    ...(opts.lineCounter ? { lineCounter: opts.lineCounter } : {}),
  };
}

/** Points every range and error of a document parsed from re-indented text at the original text. */
function remapOffsets(doc: Document.Parsed, toOriginal: (offset: number) => number): void {
  const remap = (r: [number, number, number]): [number, number, number] => [toOriginal(r[0]), toOriginal(r[1]), toOriginal(r[2])];
  doc.range = remap(doc.range);
  visit(doc, {
    Node(_key, node) {
      if (node.range) node.range = remap(node.range);
    },
  });
  for (const e of [...doc.errors, ...doc.warnings]) e.pos = [toOriginal(e.pos[0]), toOriginal(e.pos[1])];
}

/**
 * Parses a YAML stream (one document or all of them). A flow collection continued on a line
 * indented less than YAML 1.2 requires, which libyaml accepts, is read again re-indented
 * (src/yaml-flow-indent.ts) with every position mapped back to `text`.
 */
function parseLikeLibyaml<T extends Document.Parsed | Document.Parsed[]>(text: string, opts: ParseOptions, parse: (text: string, options: ReturnType<typeof yaml11Options>) => T): T {
  const parsed = parse(text, yaml11Options(opts));
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [parsed];
  if (!docs.some((d) => d.errors.some(isFlowIndentError))) return parsed;
  const reindented = reindentFlowContinuations(text);
  if (!reindented) return parsed;
  const again = parse(reindented.text, yaml11Options({ ...opts, lineCounter: undefined }));
  const toOriginal = originalOffset(reindented);
  const againDocs: Document.Parsed[] = Array.isArray(again) ? again : [again];
  for (const doc of againDocs) remapOffsets(doc, toOriginal);
  if (opts.lineCounter) {
    // the caller reads lines and columns of the original text
    opts.lineCounter.lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) opts.lineCounter.addNewLine(i + 1);
  }
  return again;
}

/** Parses YAML text as Ansible does; errors stay in `doc.errors` for the caller to locate. */
export function parseYaml11Document(text: string, opts: ParseOptions = {}): Document.Parsed {
  const doc = parseLikeLibyaml(text, opts, (t, o) => parseDocument(t, o));
  if (!doc.errors.length) refuseCollectionKeys(doc);
  return doc;
}

/** Every document of a YAML stream (`from_yaml_all`), as plain JS values. */
export function loadAllYaml11(text: string, file: string): unknown[] {
  const lineCounter = new LineCounter();
  const parsed = parseLikeLibyaml(text, { lineCounter, uniqueKeys: false, file }, (t, o) => {
    const all = parseAllDocuments(t, o);
    return Array.isArray(all) ? all : [];
  });
  const docs = parsed;
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) {
      const { line, col } = lineCounter.linePos(first.pos[0]);
      throw new ConfigError(yamlErrorText(first), { loc: { file, line, col } });
    }
  }
  return docs.map((doc) => doc.toJS({ maxAliasCount: 1000 }) as unknown);
}

/** How a YAML error is told: an inline !vault value that did not open is not a syntax error. */
export function yamlErrorText(e: { code: string; message: string }): string {
  return e.code === 'TAG_RESOLVE_FAILED' ? yamlMessage(e.message) : `YAML syntax error: ${yamlMessage(e.message)}`;
}

/** The first line of a yaml library message, without its own position suffix. */
export function yamlMessage(msg: string): string {
  // the parser recurses per level: hundreds of nested [ [ [ … exhaust the JS stack
  if (/Maximum call stack size exceeded/.test(msg) || msg === TOO_DEEP) return 'collections are nested too deeply here (hundreds of levels); kelpie reads at most a few hundred';
  const first = msg.split('\n')[0] ?? msg;
  return first.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

/** The library reports an unclosed quote at the end of the file; the user needs where it opened. */
export function openingQuote(text: string, end: number, message: string): number | undefined {
  const q = message.includes('"') ? '"' : message.includes("'") ? "'" : undefined;
  if (!q) return undefined;
  const before = text.slice(0, end);
  const re = new RegExp(`(?:^|[\\s:\\[{,-])(${q})`, 'gm');
  let last: number | undefined;
  for (let m = re.exec(before); m; m = re.exec(before)) last = m.index + m[0].length - 1;
  return last;
}

/**
 * Where a YAML error is pinned. An unclosed quote: where it opened (openingQuote). Nesting too
 * deep for the stack: where its run of opening brackets starts, because the point where the
 * stack ran out depends on how deep the caller's own stack was.
 */
export function errorOffset(text: string, e: { code: string; pos: [number, number]; message: string }): number {
  if (e.code === 'MISSING_CHAR') return openingQuote(text, e.pos[0], e.message) ?? e.pos[0];
  if (e.code === 'RESOURCE_EXHAUSTION') {
    let at = Math.min(e.pos[0], text.length);
    while (at > 0 && /[[{\s]/.test(text[at - 1]!) && text[at - 1] !== '\n') at--;
    while (/\s/.test(text[at] ?? '')) at++;
    return at;
  }
  return e.pos[0];
}

/** A data file (vars, -e @file) as plain JS values; a syntax error is a ConfigError at its line:col. */
export function loadYaml11(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseYaml11Document(text, { lineCounter, uniqueKeys: false, file });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(errorOffset(text, first));
    throw new ConfigError(yamlErrorText(first), { loc: { file, line, col } });
  }
  return doc.toJS({ maxAliasCount: 1000 }) as unknown;
}

/** Offset of the first byte that does not belong to a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * The text of a file kelpie reads as YAML. Bytes that are not UTF-8 (a Latin-1 `é`) are an
 * error at their line:col; decoding them to U+FFFD would silently change the value.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if (isVaultText(bytes)) return openVaultFile(bytes, file);
  // (isUtf8 is native; the byte loop below only runs to locate the error)
  const bad = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (bad < 0) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const lineStart = bad === 0 ? 0 : bytes.lastIndexOf(0x0a, bad - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
  const col = Buffer.from(bytes.subarray(lineStart, bad)).toString('utf8').length + 1;
  throw new ConfigError(`byte 0x${bytes[bad]!.toString(16)} is not UTF-8`, { loc: { file, line, col }, hint: 'save the file as UTF-8, e.g. with iconv -f latin1 -t utf-8' });
}

/**
 * A whole-file vault (vars_files, include_vars, group_vars, -e @file): its plaintext is read
 * as the file, and every value in it becomes a secret that output masks.
 */
function openVaultFile(bytes: Uint8Array, file: string): string {
  const plain = decryptVaultText(Buffer.from(bytes).toString('latin1'), file);
  const text = decodeUtf8(Buffer.from(plain, 'utf8'), file);
  try {
    rememberVaultValues(loadYaml11(text, file));
  } catch {
    // not YAML: the caller reports it where it parses the text
  }
  return text;
}
