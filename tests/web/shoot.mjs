// Signs in and saves screenshots of the given paths, for people to look at.
//   node shoot.mjs BASE_URL EMAIL PASSWORD OUT_DIR PATH...
// Whole pages; SHOT_CLIP=Y,HEIGHT keeps only that band of each page.
import { chromium } from 'playwright-core';

const [base, email, password, outDir, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 360, height: 740 }]]) {
  const page = await browser.newPage({ viewport });
  if (email) {
    await page.goto(`${base}/login`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
  }
  for (const p of paths) {
    await page.goto(base + p);
    const name = (p.replace(/[^a-z0-9]+/gi, '_') || 'root') + `-${label}.png`;
    const clip = process.env.SHOT_CLIP?.split(',').map(Number);
    await page.screenshot({
      path: `${outDir}/${name}`, fullPage: true,
      ...(clip ? { clip: { x: 0, y: clip[0], width: viewport.width, height: clip[1] } } : {}),
    });
    console.log(`${outDir}/${name}`);
  }
  await page.close();
}
await browser.close();
