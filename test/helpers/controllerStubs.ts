/** The controller-side parts of a module context that system-module tests don't exercise. */
import type { ReadContext } from '../../src/modules/types.js';

export function controllerStubs(facts: Record<string, unknown> | undefined): Pick<ReadContext, 'findLocalFile' | 'renderTemplate' | 'evaluate' | 'template' | 'facts' | 'log'> {
  return {
    async findLocalFile(_k: 'files' | 'templates', p: string) {
      return p;
    },
    async renderTemplate(t: string) {
      return t;
    },
    evaluate(expr: string): unknown {
      throw new Error(`evaluate(${expr}) is not available in this test context`);
    },
    template(text: string): unknown {
      throw new Error(`template(${text}) is not available in this test context`);
    },
    async facts() {
      return facts ?? {};
    },
    log: { debug() {}, warn() {} },
  };
}
