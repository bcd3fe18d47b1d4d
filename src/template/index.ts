/** kelpie templating: Ansible/Jinja2 semantics on nunjucks. */
export { Templar, type TemplateOptions, type RenderOptions } from './templar.js';
export { isTemplate, markUnsafe, asUnsafe, isUnsafe, unsafeLayer, unboxed, UnsafeText } from './scope.js';
export { pythonRepr, pyStr as pythonStr, PyFloat, PyTuple } from './pyvalue.js';
export { Undef, ansibleUndefinedText, undefinedCause } from './undefined.js';
export { conditionSyntaxError } from './conditionSyntax.js';
