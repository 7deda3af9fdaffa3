// Runs Lighthouse (desktop and mobile form factors) on each page given and
// checks imhere's budgets: accessibility 100, performance >= 95, and fewer than
// 50 KB transferred. Prints one line per page; exits 1 if any budget is missed.
// budgets.mjs does the same for every page type against its own server.
//
//   node lighthouse.mjs [--cookie "name=value"] [--report DIR] URL...

import { auditPage, formatFigures, k_formFactors, launchChromium } from './lighthousebudget.mjs';

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

const chrome = await launchChromium();
let failed = 0;
try {
  for (const url of urls) {
    for (const formFactor of k_formFactors) {
      const figures = await auditPage(chrome, { url, cookie }, formFactor, reportDir);
      console.log(formatFigures(figures));
      if (figures.problems.length) ++failed;
    }
  }
} finally {
  await chrome.kill();
}
console.log(`${urls.length * 2 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
