/** nunjucks' AST transformer (lifts `super()` and async filters); not in its published types. */
declare module 'nunjucks/src/transformer.js' {
  const transformer: { transform<T>(ast: T, asyncFilters: string[], name?: string): T };
  export default transformer;
}
