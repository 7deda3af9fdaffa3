// Runs Lighthouse (desktop and mobile form factors) on each page given and
// checks imhere's budgets: accessibility 100, performance >= 95, and fewer than
// 50 KB transferred. Prints one line per page; exits 1 if any budget is missed.
//
//   node lighthouse.mjs [--cookie "name=value"] [--report DIR] URL...

import fs from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const k_budget = { accessibility: 1.0, performance: 0.95, transferBytes: 50 * 1024 };

const args = process.argv.slice(2);
let cookie = null;
let reportDir = null;
const urls = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--cookie') cookie = args[++i];
  else if (args[i] === '--report') reportDir = args[++i];
  else urls.push(args[i]);
}
if (urls.length === 0) {
  console.error('usage: node lighthouse.mjs [--cookie "name=value"] [--report DIR] URL...');
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let failed = 0;
try {
  for (const url of urls) {
    for (const formFactor of ['mobile', 'desktop']) {
      const flags = {
        port: chrome.port, output: 'json', logLevel: 'error',
        onlyCategories: ['accessibility', 'performance', 'best-practices'],
        formFactor,
        screenEmulation: formFactor === 'desktop'
          ? { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false }
          : { mobile: true, width: 360, height: 640, deviceScaleFactor: 2, disabled: false },
        throttlingMethod: 'simulate',
        extraHeaders: cookie ? { Cookie: cookie } : undefined,
      };
      const result = await lighthouse(url, flags);
      const lhr = result.lhr;
      const a11y = lhr.categories.accessibility.score;
      const perf = lhr.categories.performance.score;
      const bytes = lhr.audits['total-byte-weight']?.numericValue ?? Infinity;
      const problems = [];
      if (lhr.runtimeError) problems.push(`runtime error ${lhr.runtimeError.code}`);
      if (a11y < k_budget.accessibility) {
        const failing = Object.values(lhr.audits)
          .filter((a) => a.score === 0 && lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id))
          .map((a) => a.id);
        problems.push(`accessibility ${Math.round(a11y * 100)} (${failing.join(', ')})`);
      }
      if (perf < k_budget.performance) problems.push(`performance ${Math.round(perf * 100)}`);
      if (bytes >= k_budget.transferBytes) problems.push(`${bytes} bytes transferred`);
      const status = problems.length ? 'FAIL' : 'ok';
      console.log(`${status.padEnd(4)} ${formFactor.padEnd(7)} a11y=${Math.round(a11y * 100)} ` +
                  `perf=${Math.round(perf * 100)} bytes=${bytes} ${url}` +
                  (problems.length ? `  <- ${problems.join('; ')}` : ''));
      if (problems.length) ++failed;
      if (reportDir) {
        fs.mkdirSync(reportDir, { recursive: true });
        const name = url.replace(/^https?:\/\/[^/]+/, '').replace(/[^a-z0-9]+/gi, '_') || 'root';
        fs.writeFileSync(path.join(reportDir, `${name}-${formFactor}.json`), result.report);
      }
    }
  }
} finally {
  await chrome.kill();
}
console.log(`${urls.length * 2 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
