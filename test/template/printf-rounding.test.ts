/**
 * `'%.2f' | format(x)` rounds the double's exact binary value with ties to even, as Python
 * (and Perl's and C's printf) do: fixtures/printf-rounding.out was written by
 * ansible-playbook 2.14 (copy: content=… of fixtures/printf-rounding.j2), and Perl's
 * printf prints the same lines. JavaScript's toFixed would give 0.13 for 0.125.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Templar } from '../../src/template/index.js';
import { printfFixed } from '../../src/template/printfFixed.js';

const dir = new URL('./fixtures/', import.meta.url);

describe('printf-style %f rounds as Python and Perl do (ties to even on the exact double)', () => {
  it('renders the Ansible golden byte for byte', () => {
    const src = readFileSync(new URL('printf-rounding.j2', dir), 'utf8');
    const want = readFileSync(new URL('printf-rounding.out', dir), 'utf8');
    assert.equal(new Templar().renderString(src, {}), want);
  });

  it('printfFixed: 0.125 → 0.12, 0.375 → 0.38, 2.675 → 2.67 (below the tie in binary), -0.0001 → -0.00', () => {
    assert.deepEqual([0.125, 0.375, 2.675, 1.005, -0.0001, 0.5, 1.5, 2.5].map((x) => printfFixed(x, x >= 0.5 && x <= 2.5 && Number.isInteger(x * 2) ? 0 : 2)), ['0.12', '0.38', '2.67', '1.00', '-0.00', '0', '2', '2']);
    assert.equal(printfFixed(1e22, 1), '10000000000000000000000.0');
    assert.equal(printfFixed(5e-324, 3), '0.000');
  });
});
