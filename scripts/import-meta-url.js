// Injected into the CommonJS bundle (scripts/bundle.mjs): what `import.meta.url` means in the
// sources (src/packageRoot.ts, src/connection/ssh2lib.ts), from the bundle's own file name.
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
