// @ts-check
// `npm run lint`: ESLint with typescript-eslint's strict, type-aware rules on src/, test/
// and bench/. Runs in CI (.ci/run), beside the tests.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The ratchet: rules the code still breaks are warnings, listed with the count of
 * violations when lint came in (2026-12-04). `npm run lint` fails when the warnings exceed
 * their total (--max-warnings in package.json), so new code cannot add any: fix some, then
 * lower the counts here and the total there, and turn a rule back to an error at 0.
 * They were not fixed at once because seven people were changing src/ and test/ that day.
 */
const RATCHET = {
  // real findings to look at one by one
  '@typescript-eslint/no-unnecessary-condition': 55, // checks the types say cannot fail (some guard host data typed too narrowly)
  '@typescript-eslint/no-base-to-string': 46, // String(x) of values that may be objects ("[object Object]")
  '@typescript-eslint/restrict-plus-operands': 16,
  '@typescript-eslint/no-misused-spread': 10,
  '@typescript-eslint/unbound-method': 5,
  '@typescript-eslint/no-dynamic-delete': 6,
  'no-useless-assignment': 4,
  'preserve-caught-error': 2,
  // `any` crossing a boundary (JSON.parse, nunjucks internals): type them
  '@typescript-eslint/no-unsafe-assignment': 21,
  '@typescript-eslint/no-unsafe-argument': 11,
  '@typescript-eslint/no-unsafe-return': 7,
  '@typescript-eslint/no-unsafe-member-access': 23,
  '@typescript-eslint/no-unsafe-call': 5,
  '@typescript-eslint/no-implied-eval': 1, // src/template/patch.ts builds nunjucks code with new Function
  '@typescript-eslint/no-unsafe-class-instance-assignment': 1,
  '@typescript-eslint/use-unknown-in-catch-callback-variable': 1,
  '@typescript-eslint/prefer-promise-reject-errors': 1,
  '@typescript-eslint/await-thenable': 1,
  // mechanical (most have an autofix: eslint --fix)
  '@typescript-eslint/require-await': 32, // async methods implementing a Promise-returning interface
  '@typescript-eslint/no-unnecessary-type-assertion': 30,
  '@typescript-eslint/no-unused-vars': 31,
  '@typescript-eslint/no-confusing-void-expression': 5,
  '@typescript-eslint/no-unused-expressions': 6, // `a && b()` statements in src/modules/system/user.ts
  '@typescript-eslint/no-unnecessary-type-arguments': 5,
  'no-regex-spaces': 4,
  'no-control-regex': 3, // on purpose (ANSI escapes, YAML escaping): say so with eslint-disable-next-line
  '@typescript-eslint/no-unnecessary-type-conversion': 3,
  '@typescript-eslint/no-unnecessary-type-parameters': 2,
  '@typescript-eslint/no-generated-empty-object-type': 1,
  '@typescript-eslint/no-meaningless-void-operator': 1,
};

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'test/fixtures/**', 'bench/results/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      ...Object.fromEntries(Object.keys(RATCHET).map((rule) => [rule, 'warn'])),
      // off: 535 today. Under noUncheckedIndexedAccess `xs[0]!` after a length check is how
      // the code reads an element, and tests use `!` on lookups that throw if wrong.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // options, not relaxations: numbers and booleans print plainly in a template literal
      // (objects, null and undefined still do not); a void call as an arrow's body is fine;
      // `_`-prefixed arguments and unused catch variables are deliberate (the last two stay
      // in the ratchet for what remains)
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': ['warn', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['warn', { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
