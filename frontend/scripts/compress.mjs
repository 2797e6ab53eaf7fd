// Writes .gz and .br beside each built text asset, once at build time, so the server sends
// compressed files without compressing per request (and API answers stay uncompressed).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/;
const root = new URL("../dist/", import.meta.url).pathname;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(name)) yield path;
  }
}

let plain = 0;
let brotli = 0;
for (const path of files(root)) {
  const data = readFileSync(path);
  const br = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  writeFileSync(`${path}.br`, br);
  plain += data.length;
  brotli += br.length;
}
console.log(`compressed ${(plain / 1024).toFixed(0)} KiB of assets to ${(brotli / 1024).toFixed(0)} KiB (brotli)`);
