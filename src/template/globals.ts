/**
 * Jinja's global functions that nunjucks lacks or defines differently: `range` (Python's,
 * typed `range`), `lipsum`, `dict`, `namespace`. Ansible adds `lookup`/`query` (lookups.ts).
 */
import type nunjucks from 'nunjucks';
import { TemplateError } from '../errors.js';
import { dictGlobal } from './filters/core.js';
import { arg, splitArgs } from './filters/args.js';
import { namespace } from './statementRuntime.js';
import { TypedText, isInt, num, truthy, typeName, typedList } from './pyvalue.js';

function intArg(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (!isInt(v)) throw new TemplateError(`'${typeName(v)}' object cannot be interpreted as an integer`);
  return v;
}

/** Python's range(stop) / range(start, stop[, step]). */
export function pyRange(...args: unknown[]): unknown[] {
  const pos = splitArgs(args).pos.map(intArg);
  if (pos.length === 0) throw new TemplateError('range expected at least 1 argument, got 0');
  if (pos.length > 3) throw new TemplateError(`range expected at most 3 arguments, got ${pos.length}`);
  const [start, stop, step] = pos.length === 1 ? [0, pos[0]!, 1] : [pos[0]!, pos[1]!, pos[2] ?? 1];
  if (step === 0) throw new TemplateError('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return typedList(out, 'range');
}

const LOREM = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ' +
  'enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in ' +
  'reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa ' +
  'qui officia deserunt mollit anim id est laborum curabitur pretium tincidunt lacus nunc pulvinar sapien ligula'
).split(' ');

function randInt(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}

/** Jinja's lipsum(n=5, html=True, min=20, max=100): n paragraphs of placeholder text, random as in Jinja. */
export function lipsum(...args: unknown[]): unknown {
  const a = splitArgs(args);
  const n = num(arg(a, 0, 'n', 5));
  const html = truthy(arg(a, 1, 'html', true));
  const min = num(arg(a, 2, 'min', 20));
  const max = num(arg(a, 3, 'max', 100));
  if (min >= max) throw new TemplateError(`empty range for randrange() (${min}, ${max}, ${max - min})`);
  const paragraphs: string[] = [];
  for (let p = 0; p < n; p++) {
    const words: string[] = [];
    let sentenceStart = true;
    let lastComma = 0;
    let lastStop = 0;
    const count = randInt(min, max - 1);
    for (let i = 0; i < count; i++) {
      let w = LOREM[randInt(0, LOREM.length - 1)]!;
      if (sentenceStart) w = w[0]!.toUpperCase() + w.slice(1);
      sentenceStart = false;
      // a comma now and then, a full stop a little less often
      if (i - lastComma > randInt(3, 8)) {
        w += ',';
        lastComma = i;
      }
      if (i - lastStop > randInt(10, 20)) {
        w = w.replace(/,$/, '') + '.';
        lastStop = lastComma = i;
        sentenceStart = true;
      }
      words.push(w);
    }
    let text = words.join(' ').replace(/,$/, '');
    if (!text.endsWith('.')) text += '.';
    paragraphs.push(text);
  }
  return html ? new TypedText(paragraphs.map((t) => `<p>${t}</p>`).join('\n\n'), 'Markup') : paragraphs.join('\n\n');
}

export function registerGlobals(env: nunjucks.Environment): void {
  env.addGlobal('dict', dictGlobal);
  env.addGlobal('range', pyRange);
  env.addGlobal('lipsum', lipsum);
  env.addGlobal('namespace', namespace);
}
