// ctest web_lighthouse_budgets: every page type of the dashboard and of
// remote check-in from a phone, one URL each, audited by Lighthouse on a
// phone and a desktop against a real imhere-server (demo school, loopback,
// temporary database). Fails if any page misses a budget
// (lighthousebudget.mjs); writes the figures as a Markdown table for
// docs/WEB.md.
//
//   node budgets.mjs --server PATH/imhere-server --code-tool PATH/imhere-test-rotating-code --out DIR [--only NAME]

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireNodeModules, TestServer, watchdog } from './testserver.mjs';
import { pageTypes } from './pagetypes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
requireNodeModules(here);
const { auditPage, formatFigures, k_formFactors, launchChromium } = await import('./lighthousebudget.mjs');

// About 10 s a run on two busy cores, 66 runs; ctest's TIMEOUT is the outer bound.
const k_overallTimeoutMs = 20 * 60_000;

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const binary = option('--server');
const codeTool = option('--code-tool');
const outDir = option('--out') ?? path.join(process.cwd(), 'lighthouse');
const only = option('--only');
if (!binary || !codeTool) {
  console.error('usage: node budgets.mjs --server PATH/imhere-server --code-tool PATH/imhere-test-rotating-code '
                + '--out DIR [--only NAME]');
  process.exit(2);
}

let server = null;
let chrome = null;
const cleanUp = async () => {
  await chrome?.kill()?.catch?.(() => {});
  await server?.stop().catch(() => {});
};
watchdog(k_overallTimeoutMs, cleanUp);

const results = [];
try {
  server = await TestServer.start(binary);
  console.log(`server ${server.url}`);
  let pages = await pageTypes(server, codeTool);
  if (only) pages = pages.filter((p) => p.name.includes(only));
  chrome = await launchChromium();
  for (const page of pages) {
    for (const formFactor of k_formFactors) {
      const figures = await auditPage(chrome, page, formFactor, path.join(outDir, 'reports'));
      console.log(formatFigures(figures));
      results.push(figures);
    }
  }
} catch (e) {
  console.error(`FAIL: ${e.stack ?? e}`);
  if (server) console.error(`server log:\n${server.log}`);
  await cleanUp();
  process.exit(1);
}
await cleanUp();

// Figures for docs/WEB.md, one row per page type.
const rows = new Map();
for (const f of results) {
  if (!rows.has(f.name)) rows.set(f.name, {});
  rows.get(f.name)[f.formFactor] = f;
}
const cell = (f) => (f ? `${f.accessibility} | ${f.performance} | ${(f.bytes / 1024).toFixed(1)}` : '– | – | –');
const table = ['| Page type | Phone a11y | Phone perf | Phone KB | Desktop a11y | Desktop perf | Desktop KB |',
               '|---|---:|---:|---:|---:|---:|---:|',
               ...[...rows].map(([name, r]) => `| ${name} | ${cell(r.mobile)} | ${cell(r.desktop)} |`)].join('\n');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'figures.md'), table + '\n');
fs.writeFileSync(path.join(outDir, 'figures.json'), JSON.stringify(results, null, 2));
console.log(`\n${table}\n`);

const failed = results.filter((f) => f.problems.length);
console.log(`${results.length - failed.length} passed, ${failed.length} failed (figures in ${outDir})`);
process.exit(failed.length || results.length === 0 ? 1 : 0);
