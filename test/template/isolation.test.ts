/**
 * kelpie's Jinja semantics live in its own classes: a stock nunjucks Environment in the
 * same process renders as stock whether kelpie's Templar loads before or after it, and
 * after the Templar has rendered. Each order runs in a fresh process (mocha's own process
 * has loaded the Templar long before this file).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./fixtures/stockNunjucks.ts', import.meta.url));

interface Probed {
  stock: Record<string, string>;
  kelpie?: string;
  stockAgain?: Record<string, string>;
}

function probe(when: 'never' | 'before' | 'after'): Probed {
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script, when], { encoding: 'utf8' })) as Probed;
}

describe('template engine isolation: a stock nunjucks Environment beside kelpie', () => {
  const alone = probe('never');

  it('renders stock when kelpie is not loaded (the baseline)', () => {
    assert.equal(alone.stock['{{ [1,2] }}'], '1,2');
    assert.equal(alone.stock['{{ 2.0 }}'], '2');
  });

  it('renders as stock after the Templar has loaded and rendered', () => {
    const r = probe('after');
    assert.equal(r.kelpie, '[1, 2] 2.0 [2, 3]', 'kelpie renders with Python semantics');
    assert.deepEqual(r.stock, alone.stock);
    assert.deepEqual(r.stockAgain, alone.stock);
  });

  it('renders as stock when the Templar loaded and rendered first', () => {
    const r = probe('before');
    assert.equal(r.kelpie, '[1, 2] 2.0 [2, 3]');
    assert.deepEqual(r.stock, alone.stock);
  });

  it('in this process too, where every template test has loaded the Templar', async () => {
    const nunjucks = (await import('nunjucks')).default;
    const { Templar } = await import('../../src/template/templar.js');
    assert.equal(new Templar().renderString('{{ [1,2] }}', {}), '[1, 2]');
    const env = new nunjucks.Environment(null, { autoescape: false });
    assert.equal(env.renderString('{{ [1,2] }}', {}), '1,2');
    assert.equal(env.renderString('{% if [] %}yes{% else %}no{% endif %}', {}), 'yes');
  });
});
