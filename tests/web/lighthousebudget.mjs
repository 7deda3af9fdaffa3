// imhere's page budgets checked with Lighthouse in Debian's chromium:
// accessibility 100, performance >= 95 and fewer than 50 KB transferred, on
// a phone (360 px, simulated slow 4G and CPU) and on a desktop.

import fs from 'node:fs';
import path from 'node:path';
import lighthouse, { navigation } from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';

export const k_budget = { accessibility: 1.0, performance: 0.95, transferBytes: 50 * 1024 };
export const k_formFactors = ['mobile', 'desktop'];

export async function launchChromium() {
  return chromeLauncher.launch({
    chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

function failingAudits(lhr, category) {
  const ids = new Set(lhr.categories[category].auditRefs.filter((r) => r.weight > 0).map((r) => r.id));
  return Object.values(lhr.audits)
    .filter((a) => ids.has(a.id) && a.score !== null && a.score < 1)
    .map((a) => {
      const items = (a.details?.items ?? []).slice(0, 3)
        .map((i) => i.node?.snippet ?? i.node?.selector ?? i.url ?? '').filter(Boolean);
      return items.length ? `${a.id} [${items.join(' | ')}]` : a.id;
    });
}

// Lighthouse's scores vary from run to run, the more so on two cores shared
// with other builds (its documentation advises the median of several runs).
// A page that misses the performance budget is measured twice more and
// judged by the median run; accessibility and weight do not vary.
export const k_performanceRuns = 3;

// Lighthouse figures of `page` and its budget misses (empty when the page is
// within budget). `page` is
//   {name, url, cookie, errorStatus, submit}
// `url` may be a function, called right before each run (a /q/ code is only
// good for some 20 s). Pages that answer with an error status on purpose (a
// refusal, an expired code) set errorStatus, or Lighthouse would not audit
// them. A page that is the answer to a form post sets `submit` to the
// selector of the form's button: `url` is loaded first, and Lighthouse
// audits the navigation that pressing the button starts.
export async function auditPage(chrome, page, formFactor, reportDir) {
  const runs = [await auditOnce(chrome, page, formFactor)];
  const slow = (run) => run.figures.problems.some((p) => p.startsWith('performance'));
  if (slow(runs[0]) && !runs[0].lhr.runtimeError) {
    while (runs.length < k_performanceRuns)
      runs.push(await auditOnce(chrome, page, formFactor));
  }
  const scores = runs.map((r) => r.figures.performance);
  const median = [...runs].sort((a, b) => a.figures.performance - b.figures.performance)[Math.floor(runs.length / 2)];
  const figures = median.figures;
  if (runs.length > 1) figures.performanceRuns = scores;
  if (reportDir) {
    fs.mkdirSync(reportDir, { recursive: true });
    const file = (page.name ?? figures.url.replace(/^https?:\/\/[^/]+/, '')).replace(/[^a-z0-9]+/gi, '_') || 'root';
    fs.writeFileSync(path.join(reportDir, `${file}-${formFactor}.json`), median.report);
  }
  return figures;
}

async function auditOnce(chrome, page, formFactor) {
  const flags = {
    port: chrome.port, output: 'json', logLevel: 'error',
    onlyCategories: ['accessibility', 'performance', 'best-practices'],
    formFactor,
    screenEmulation: formFactor === 'desktop'
      ? { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false }
      : { mobile: true, width: 360, height: 640, deviceScaleFactor: 2, disabled: false },
    throttlingMethod: 'simulate',
    extraHeaders: page.cookie ? { Cookie: page.cookie } : undefined,
    ignoreStatusCode: Boolean(page.errorStatus),
  };
  const url = typeof page.url === 'function' ? await page.url() : page.url;
  const result = page.submit ? await auditFormAnswer(chrome, url, page, flags) : await lighthouse(url, flags);
  const lhr = result.lhr;
  const score = (c) => lhr.categories[c]?.score ?? 0;
  const figures = {
    name: page.name ?? url, url, formFactor,
    accessibility: Math.round(score('accessibility') * 100),
    performance: Math.round(score('performance') * 100),
    bestPractices: Math.round(score('best-practices') * 100),
    bytes: lhr.audits['total-byte-weight']?.numericValue ?? Infinity,
    problems: [],
  };
  if (lhr.runtimeError) figures.problems.push(`runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  if (score('accessibility') < k_budget.accessibility)
    figures.problems.push(`accessibility ${figures.accessibility}: ${failingAudits(lhr, 'accessibility').join(', ')}`);
  if (score('performance') < k_budget.performance)
    figures.problems.push(`performance ${figures.performance}: ${failingAudits(lhr, 'performance').join(', ')}`);
  if (!(figures.bytes < k_budget.transferBytes)) figures.problems.push(`${figures.bytes} bytes transferred`);
  return { figures, lhr, report: result.report };
}

// Loads the form at `url` in a tab of our own, then lets Lighthouse audit
// the navigation that pressing `page.submit` starts (the POST and its answer).
async function auditFormAnswer(chrome, url, page, flags) {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  try {
    const tab = await browser.newPage();
    if (page.cookie) await tab.setExtraHTTPHeaders({ Cookie: page.cookie });
    const form = await tab.goto(url, { waitUntil: 'load' });
    if (!form?.ok()) throw new Error(`${url}: ${form?.status()} before submitting`);
    const button = await tab.$(page.submit);
    if (!button) throw new Error(`${url} has no ${page.submit}`);
    const result = await navigation(tab, async () => { await button.click(); }, { flags });
    await tab.close();
    return result;
  } finally {
    await browser.disconnect();
  }
}

export function formatFigures(f) {
  return `${(f.problems.length ? 'FAIL' : 'ok').padEnd(4)} ${f.formFactor.padEnd(7)} a11y=${f.accessibility} `
    + `perf=${f.performance}${f.performanceRuns ? ` (median of ${f.performanceRuns.join(', ')})` : ''} `
    + `kb=${(f.bytes / 1024).toFixed(1)} ${f.name}`
    + (f.problems.length ? `\n       <- ${f.problems.join('\n       <- ')}` : '');
}
