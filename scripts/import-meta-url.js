// Injected into the CommonJS bundle (scripts/bundle.mjs): what `import.meta.url` means in the
// sources (src/packageRoot.ts, src/connection/ssh2lib.ts), the bundle's own file. Read when it
// is used, not when the bundle loads: a start from the bin's snapshot (`node --snapshot-blob
// DIR/kelpie.blob`) runs code loaded where the snapshot was built, and the bundle is the one
// beside the blob the process started from.
export const import_meta = {
  get url() {
    const { dirname, join, resolve } = require('node:path');
    const argv = process.execArgv;
    const at = argv.indexOf('--snapshot-blob');
    const inline = argv.find((a) => a.startsWith('--snapshot-blob='));
    const blob = at >= 0 ? argv[at + 1] : inline?.slice('--snapshot-blob='.length);
    const file = blob === undefined || argv.includes('--build-snapshot') ? __filename : join(dirname(resolve(blob)), 'kelpie.cjs');
    return require('node:url').pathToFileURL(file).href;
  },
};
