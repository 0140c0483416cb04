// The widget's size budget, checked in CI after `pnpm build`:
//   the loader (dist/widget.js) at most 10 KB gzipped, and everything a
//   visitor downloads until the chat is open and usable (loader + app chunk)
//   at most 60 KB gzipped. Exits 1 over budget or when dist/ is missing.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "../dist");
const KB = 1024;
const BUDGET = { loader: 10 * KB, open: 60 * KB };

const gz = (file) => {
  const path = join(DIST, file);
  if (!existsSync(path)) {
    console.error(`ERROR ${path} is missing: run \`pnpm --filter @netia/widget build\` first`);
    process.exit(1);
  }
  const raw = readFileSync(path);
  return { raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
};

const loader = gz("widget.js");
const app = gz("widget-app.js");
const react = gz("index.js");
const open = loader.gzip + app.gzip;
const kb = (n) => `${(n / KB).toFixed(1)} KB`;

console.log(
  `widget.js (loader)        ${kb(loader.raw)} raw, ${kb(loader.gzip)} gzip (budget ${kb(BUDGET.loader)})`,
);
console.log(`widget-app.js (chat)      ${kb(app.raw)} raw, ${kb(app.gzip)} gzip`);
console.log(`loader + chat (open)      ${kb(open)} gzip (budget ${kb(BUDGET.open)})`);
console.log(`index.js (React, no deps) ${kb(react.raw)} raw, ${kb(react.gzip)} gzip`);

let failed = false;
if (loader.gzip > BUDGET.loader) {
  console.error(
    `ERROR the loader is ${kb(loader.gzip)} gzipped, over its ${kb(BUDGET.loader)} budget`,
  );
  failed = true;
}
if (open > BUDGET.open) {
  console.error(
    `ERROR loader + chat are ${kb(open)} gzipped, over their ${kb(BUDGET.open)} budget`,
  );
  failed = true;
}
if (failed) process.exit(1);
console.log("size budget: ok");
