// ctest web_newcomer: the web as a newcomer meets it, on 360 px phones in
// Debian's chromium (playwright-core), against imhere-server on loopback with
// its mail going to an SMTP sink in this test (smtpsink.mjs):
//
//   1. the admin invites a whole class from its People page; every trainee
//      gets the link by mail, chooses a password there and is signed in;
//   2. a trainee who forgot theirs asks for a link on the sign-in page, gets
//      it by mail and chooses a new one, then signs in with it;
//   3. the teacher meets each confirmation (closing a window, removing a
//      student, removing the course), reads what it will do and cancels,
//      and nothing changed; a trainee cancels their badge QR after confirming.
//
// Every page on the way fits 360 px (no sideways scrolling) and its buttons
// are at least 44 × 44 px. Screenshots in --out.
//
//   node newcomer.mjs --server PATH/imhere-server --out DIR

import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoCast, requireNodeModules, TestServer, watchdog, k_demoStaffPassword } from './testserver.mjs';
import { passwordLinkIn, SmtpSink } from './smtpsink.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
requireNodeModules(here);
const { chromium } = await import('playwright-core');

const k_overallTimeoutMs = 6 * 60_000;
const k_actionTimeoutMs = 20_000;
const k_phone = { width: 360, height: 740 };

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const binary = option('--server');
const outDir = option('--out') ?? path.join(process.cwd(), 'newcomer');
if (!binary) {
  console.error('usage: node newcomer.mjs --server PATH/imhere-server --out DIR');
  process.exit(2);
}

let server = null;
let browser = null;
let sink = null;
const cleanUp = async () => {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  sink?.stop();
};
watchdog(k_overallTimeoutMs, cleanUp);
const step = (text) => console.log(`- ${text}`);

async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// A page fits a 360 px phone: nothing wider than the screen, and every
// button and button-like link in <main> at least 44 × 44 px.
async function checkFits(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= k_phone.width, `${what}: ${width} px wide on a ${k_phone.width} px screen`);
  const small = await page.evaluate(() => [...document.querySelectorAll('main button, main a.button')]
    .map((e) => ({ text: e.textContent.trim(), box: e.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
    .map(({ text, box }) => `"${text}" ${Math.round(box.width)}×${Math.round(box.height)}`));
  assert.deepEqual(small, [], `${what}: tap targets under 44 × 44 px`);
}

async function shoot(page, name) {
  fs.mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
}

async function signIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Your courses' }).waitFor();
}

// Opens the mailed link on the phone and chooses `password` there.
async function choosePassword(page, linkPath, password) {
  await page.goto(linkPath);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('New password again').fill(password);
  await page.getByRole('button', { name: 'Set my password' }).click();
  await page.waitForLoadState();
}

try {
  sink = await new SmtpSink().start();
  const port = await freePort();
  server = await TestServer.start(binary, {
    port,
    serveArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--smtp-starttls', 'no',
                '--mail-from', 'attendance@imhere.test', '--public-url', `http://127.0.0.1:${port}`],
  });
  const cast = await demoCast(server);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    timeout: k_actionTimeoutMs * 2,
  });
  const newPhone = async () => {
    const context = await browser.newContext({ viewport: k_phone, isMobile: true, hasTouch: true,
                                               baseURL: server.url, locale: 'en-GB' });
    context.setDefaultTimeout(k_actionTimeoutMs);
    return context.newPage();
  };

  step('the admin invites the whole class from its People page');
  const admin = await newPhone();
  await signIn(admin, 'admin@imhere.demo', 'imhere-demo-admin');
  await admin.goto(`/courses/${cast.course.id}/roster`);
  await checkFits(admin, 'the People page');
  await shoot(admin, 'roster-360');
  await admin.getByRole('button', { name: 'Invite everyone without a password' }).click();
  await admin.getByRole('heading', { level: 1, name: `Invitations for ${cast.course.name}` }).waitFor();
  const trainees = cast.students.filter((s) => s.email);
  assert.ok(trainees.length >= 20, `the demo class has its trainees (${trainees.length})`);
  assert.match(await admin.locator('main').textContent(), /\d+ people get their link by mail/);
  await checkFits(admin, 'the invitations page');
  await shoot(admin, 'invitations-sent-360');

  step(`every trainee (${trainees.length}) signs in through the emailed link`);
  for (const [i, trainee] of trainees.entries()) {
    const mail = await sink.waitFor(trainee.email);
    const phone = await newPhone();
    await choosePassword(phone, passwordLinkIn(mail), `newcomer-password-${i}-long`);
    if (i === 0) { await checkFits(phone, 'the page after choosing a password'); await shoot(phone, 'invitation-done-360'); }
    await signIn(phone, trainee.email, `newcomer-password-${i}-long`);
    await phone.context().close();
  }

  step('a trainee who forgot their password gets a link by mail and chooses a new one');
  const forgetful = trainees[0];
  const phone = await newPhone();
  await phone.goto('/login');
  await phone.getByRole('link', { name: 'Forgot your password?' }).click();
  await phone.getByLabel('Email address').fill(forgetful.email);
  await checkFits(phone, 'forgot your password?');
  await shoot(phone, 'reset-ask-360');
  await phone.getByRole('button', { name: 'Send me a link' }).click();
  await phone.waitForLoadState();
  await shoot(phone, 'reset-asked-360');
  const reset = await sink.waitFor(forgetful.email);
  await choosePassword(phone, passwordLinkIn(reset), 'a-brand-new-password-0');
  await shoot(phone, 'reset-done-360');
  await phone.context().close();
  await signIn(await newPhone(), forgetful.email, 'a-brand-new-password-0');

  step('the teacher meets each confirmation, reads what it will do, and cancels');
  const teacher = await newPhone();
  await signIn(teacher, cast.teacher.email, k_demoStaffPassword);
  const windowPage = `/windows/${cast.openWindow.id}`;
  await teacher.goto(windowPage);
  await teacher.getByRole('link', { name: 'Close attendance window' }).click();
  await teacher.waitForURL(`${server.url}${windowPage}/close`);
  assert.match(await teacher.locator('main').textContent(), /\d+ (person who has|people who have) not checked in will be marked absent\./);
  await checkFits(teacher, 'close a window?');
  await shoot(teacher, 'confirm-close-window-360');
  await teacher.getByRole('link', { name: 'Cancel, keep it open' }).click();
  await teacher.waitForURL(`${server.url}${windowPage}`);
  await teacher.getByRole('link', { name: 'Close attendance window' }).waitFor(); // still open

  const student = cast.students[1];
  await teacher.goto(`/courses/${cast.course.id}/roster`);
  await teacher.getByRole('link', { name: `Remove ${student.display_name} from the course` }).click();
  await teacher.getByRole('heading', { level: 1, name: `Remove ${student.display_name} from ${cast.course.name}?` }).waitFor();
  await checkFits(teacher, 'remove a student?');
  await shoot(teacher, 'confirm-remove-student-360');
  await teacher.getByRole('link', { name: 'Cancel, keep them' }).click();
  await teacher.waitForURL(`${server.url}/courses/${cast.course.id}/roster`);

  await teacher.goto(`/courses/${cast.course.id}`);
  await teacher.getByRole('link', { name: 'Remove this course' }).click();
  await teacher.getByRole('heading', { level: 1, name: `Remove ${cast.course.name}?` }).waitFor();
  await checkFits(teacher, 'remove the course?');
  await shoot(teacher, 'confirm-remove-course-360');
  await teacher.getByRole('link', { name: 'Cancel, keep the course' }).click();
  await teacher.waitForURL(`${server.url}/courses/${cast.course.id}`);
  const members = (await server.api('GET', `/api/v1/courses/${cast.course.id}/members`, { as: cast.admin })).json.members;
  assert.ok(members.some((m) => m.public_id === student.public_id), 'cancelling removed nobody');
  const windows = (await server.api('GET', `/api/v1/courses/${cast.course.id}/windows`, { as: cast.admin })).json.windows;
  assert.ok(windows.find((w) => w.id === cast.openWindow.id).open, 'cancelling closed nothing');

  step('a trainee confirms cancelling their badge QR');
  const trainee = await newPhone();
  await signIn(trainee, forgetful.email, 'a-brand-new-password-0');
  await trainee.goto('/me/badge');
  await trainee.getByRole('link', { name: 'Cancel my badge QR' }).click();
  await trainee.getByRole('heading', { level: 1, name: 'Cancel your badge QR?' }).waitFor();
  await checkFits(trainee, 'cancel my badge QR?');
  await shoot(trainee, 'confirm-cancel-badge-360');
  await trainee.getByRole('button', { name: 'Cancel my badge QR' }).click();
  await trainee.waitForLoadState();
  await shoot(trainee, 'badge-cancelled-360');
  console.log(`PASS (screenshots in ${outDir})`);
  await cleanUp();
  process.exit(0);
} catch (e) {
  console.error(`FAIL: ${e.stack ?? e}`);
  if (server) console.error(`server log:\n${server.log.slice(-4000)}`);
  await cleanUp();
  process.exit(1);
}
