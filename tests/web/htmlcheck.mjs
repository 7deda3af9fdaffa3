// ctest web_html_check: every page type (pagetypes.mjs) as the server sends
// it, checked by the Nu Html Checker (vnu-jar from npm, on Debian's Java).
// Pages that answer a form post are fetched through headless Chromium
// (playwright-core), which presses the button; the HTML checked is the
// answer's own bytes, never the browser's DOM. Fails on any error or
// warning the checker reports, naming the page, line and message.
//
//   node htmlcheck.mjs --server PATH/imhere-server --code-tool PATH/imhere-test-rotating-code --out DIR [--only NAME]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { k_skipped, requireNodeModules, TestServer, watchdog } from './testserver.mjs';
import { pageTypes } from './pagetypes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
requireNodeModules(here);
const vnuJar = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const java = process.env.JAVA || 'java';
if (!fs.existsSync(vnuJar) || spawnSync(java, ['-version']).status !== 0) {
  console.log('skipped: needs vnu-jar (scripts/install-web-deps.sh) and Java (scripts/install-deps.sh)');
  process.exit(k_skipped);
}
const { chromium } = await import('playwright-core');

const k_overallTimeoutMs = 8 * 60_000;
const k_actionTimeoutMs = 20_000;
const k_checkerTimeoutMs = 4 * 60_000;

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const binary = option('--server');
const codeTool = option('--code-tool');
const outDir = option('--out') ?? path.join(process.cwd(), 'htmlcheck');
const only = option('--only');
if (!binary || !codeTool) {
  console.error('usage: node htmlcheck.mjs --server PATH/imhere-server --code-tool PATH/imhere-test-rotating-code '
                + '--out DIR [--only NAME]');
  process.exit(2);
}

let server = null;
let browser = null;
const cleanUp = async () => {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
};
watchdog(k_overallTimeoutMs, cleanUp);

// The page's HTML as sent: loaded, or the answer to pressing `submit` on it.
async function htmlOf(context, page) {
  const tab = await context.newPage();
  tab.setDefaultTimeout(k_actionTimeoutMs);
  try {
    const url = typeof page.url === 'function' ? page.url() : page.url;
    const loaded = await tab.goto(url);
    let answer = loaded;
    if (page.submit) {
      [answer] = await Promise.all([tab.waitForNavigation(), tab.click(page.submit)]);
    }
    // An error page is meant (its status varies with the reason); any other answer succeeds.
    const ok = page.errorStatus ? answer.status() >= 400 : answer.status() < 300;
    if (!ok) throw new Error(`${page.name}: ${answer.status()}`);
    return await answer.text();
  } finally {
    await tab.close();
  }
}

const fileOf = (name) => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase() + '.html';

try {
  server = await TestServer.start(binary);
  let pages = await pageTypes(server, codeTool);
  if (only) pages = pages.filter((p) => p.name.includes(only));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const files = new Map(); // file → page name
  for (const page of pages) {
    // The cookie as Lighthouse sends it: a header on every request.
    const context = await browser.newContext(page.cookie ? { extraHTTPHeaders: { Cookie: page.cookie } } : {});
    const html = await htmlOf(context, page);
    await context.close();
    const file = path.join(outDir, fileOf(page.name));
    fs.writeFileSync(file, html);
    files.set(file, page.name);
  }
  const checked = spawnSync(java, ['-jar', vnuJar, '--format', 'json', '--also-check-svg', ...files.keys()],
                            { encoding: 'utf8', timeout: k_checkerTimeoutMs, maxBuffer: 64 << 20 });
  if (checked.error) throw checked.error;
  const messages = JSON.parse(checked.stderr || '{"messages": []}').messages;
  const problems = messages.filter((m) => m.type === 'error' || m.subType === 'warning' || m.type === 'non-document-error');
  for (const m of problems) {
    const file = m.url ? fileURLToPath(m.url) : '';
    console.log(`FAIL ${files.get(file) ?? file}: line ${m.lastLine ?? '?'}: ${m.type}${m.subType ? `/${m.subType}` : ''}: `
                + `${m.message}${m.extract ? ` [${m.extract.trim()}]` : ''}`);
  }
  const bad = new Set(problems.map((m) => (m.url ? fileURLToPath(m.url) : '')));
  for (const [file, name] of files) if (!bad.has(file)) console.log(`ok   ${name}`);
  console.log(`${files.size - bad.size} of ${files.size} page types valid (HTML in ${outDir})`);
  await cleanUp();
  process.exit(problems.length || files.size === 0 ? 1 : 0);
} catch (e) {
  console.error(`FAIL: ${e.stack ?? e}`);
  if (server) console.error(`server log:\n${server.log}`);
  await cleanUp();
  process.exit(1);
}
