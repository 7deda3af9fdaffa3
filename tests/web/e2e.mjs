// ctest web_e2e: a class as people live it, in Debian's chromium (driven by
// playwright-core) against a real imhere-server on loopback.
//
//   teacher  signs in with the keyboard only (skip link, Tab, Enter), opens
//            the attendance window from the home page and opens its page;
//   trainee  on a 360x740 phone that was never linked scans the classroom
//            screen's code (/q/<code>, computed with the demo kiosk's key by
//            imhere-test-rotating-code) and is asked for a personal code;
//   teacher  gets one with "Phone code" on the course roster and reads it out;
//   trainee  types it: the phone is linked and checked in with that tap; a
//            second scan says "already checked in at HH:MM"; an old code and
//            a forged one get the page that says to scan the screen again;
//            another trainee checks in from a second phone on the network;
//   teacher  sees the check-in (remote) and the two remote check-ins from
//            one network to review, marks another trainee present
//            ("forgot to clock in") and sets CAMERA OFF on the first;
//   TA       has no remove control for students, and a forged remove is
//            refused with the 403 page; the roster is unchanged;
//   next     class: the linked phone checks in with one tap on "Check in".
//
// Every step leaves a screenshot in --out; axe-core (the engine behind
// Lighthouse's accessibility score) checks the states Lighthouse never sees:
// flash messages, form errors, a record's page, the refusal page.
//
//   node e2e.mjs --server PATH/imhere-server --code-tool PATH/imhere-test-rotating-code --out DIR

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { demoCast, KioskScreen, requireNodeModules, TestServer, watchdog, k_demoStaffPassword } from './testserver.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
requireNodeModules(here);
const { chromium } = await import('playwright-core');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const k_overallTimeoutMs = 240_000;
const k_actionTimeoutMs = 15_000;
const k_maxTabStops = 60;
const k_desktop = { width: 1280, height: 900 };
const k_phone = { width: 360, height: 740 };

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const binary = option('--server');
const codeTool = option('--code-tool');
const outDir = option('--out') ?? path.join(process.cwd(), 'e2e');
if (!binary || !codeTool) {
  console.error('usage: node e2e.mjs --server PATH/imhere-server --code-tool PATH/imhere-test-rotating-code --out DIR');
  process.exit(2);
}
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

let server = null;
let browser = null;
const cleanUp = async () => {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
};
watchdog(k_overallTimeoutMs, cleanUp);

let shots = 0;
async function shoot(page, name) {
  const file = path.join(outDir, `${String(++shots).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  screenshot ${file}`);
}

function step(title) { console.log(`- ${title}`); }

// Accessibility of the page as it is now, with the WCAG 2.1 A/AA rules.
async function checkAxe(page, label) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.html).join(' | ')}`);
  });
  assert.deepEqual(violations, [], `accessibility problems on ${label}`);
}

// What a sighted keyboard user sees of the focused element.
async function focusedLook(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const look = () => {
      const s = getComputedStyle(el);
      return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow,
               background: s.backgroundColor, color: s.color, decoration: s.textDecorationLine };
    };
    const focused = look();
    const r = el.getBoundingClientRect();
    const box = { x: r.x, y: r.y, width: r.width, height: r.height };
    el.blur();
    const blurred = look();
    el.focus();
    return { tag: el.tagName.toLowerCase(), name: el.getAttribute('aria-label') ?? el.textContent.trim() ?? '',
             id: el.id, focused, blurred, box, visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
               && r.left < innerWidth };
  });
}

// A focus indicator is there when the focused look differs from the blurred
// one by an outline, a shadow or a colour change.
function assertFocusVisible(look, what) {
  const solidOutline = !look.focused.outline.startsWith('none') && !/ 0px /.test(look.focused.outline)
    && !/rgba\(0, 0, 0, 0\)|transparent/.test(look.focused.outline);
  const changed = ['shadow', 'background', 'color'].some((k) => look.focused[k] !== look.blurred[k]);
  assert.ok(look.visible, `${what} is focused but off screen (${JSON.stringify(look.box)})`);
  assert.ok(solidOutline || changed, `${what} shows no focus indicator: ${JSON.stringify(look)}`);
}

// Tabs forward until `matches(look)`, checking every stop on the way shows
// where the focus is.
async function tabTo(page, matches, what) {
  for (let i = 0; i < k_maxTabStops; ++i) {
    await page.keyboard.press('Tab');
    const look = await focusedLook(page);
    if (look.tag === 'body') continue;
    assertFocusVisible(look, `tab stop ${i + 1} (${look.tag} "${look.name.slice(0, 40)}")`);
    if (matches(look)) return look;
  }
  throw new Error(`could not Tab to ${what}`);
}

async function flashText(page) {
  return (await page.locator('.flash').first().textContent({ timeout: k_actionTimeoutMs })).trim();
}

function rowOf(page, name) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

try {
  server = await TestServer.start(binary);
  console.log(`server ${server.url}`);
  const cast = await demoCast(server);
  const teacherApi = await server.signIn(cast.teacher.email, k_demoStaffPassword);
  const screen = new KioskScreen(codeTool, await server.demoKiosk());
  // Demo trainees have no password: this one checks in from a phone only.
  const first = cast.students[0];
  const third = cast.students[2]; // checks in from a second phone on the same network
  const second = cast.students[1];
  // The demo opens today's class already; close it so that the teacher opens one.
  await server.api('POST', `/api/v1/windows/${cast.openWindow.id}/close`, { as: teacherApi });
  const rosterBefore = (await server.api('GET', `/api/v1/courses/${cast.course.id}/members`, { as: teacherApi }))
    .json.members.map((m) => m.public_id).sort();

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    timeout: k_actionTimeoutMs * 2,
  });
  // Every person's browser is its own context: its own cookie jar.
  const newContext = async (viewport, extra = {}) => {
    const context = await browser.newContext({ viewport, baseURL: server.url, locale: 'en-GB', ...extra });
    context.setDefaultTimeout(k_actionTimeoutMs);
    context.setDefaultNavigationTimeout(k_actionTimeoutMs);
    return context;
  };
  const newPage = async (viewport, extra = {}) => (await newContext(viewport, extra)).newPage();

  // ---- teacher, keyboard only -------------------------------------------------
  step('teacher signs in with the keyboard only');
  const teacher = await newPage(k_desktop);
  await teacher.goto('/login');
  const skip = await tabTo(teacher, (l) => l.tag === 'a', 'the skip link');
  assert.equal(skip.name, 'Skip to main content', 'the first Tab stop is the skip link');
  assert.ok(skip.box.y >= 0 && skip.box.height >= 20, `the focused skip link is on screen: ${JSON.stringify(skip.box)}`);
  await shoot(teacher, 'sign-in-skip-link-focused');
  await teacher.keyboard.press('Enter');
  assert.equal(await teacher.evaluate(() => document.activeElement.id), 'main', 'the skip link moves focus to <main>');
  const email = await tabTo(teacher, (l) => l.tag === 'input', 'the email field');
  assert.equal(email.id, 'f-email', 'after the skip link, Tab reaches the email field first');
  await teacher.keyboard.type(cast.teacher.email);
  await teacher.keyboard.press('Tab');
  await teacher.keyboard.type(k_demoStaffPassword);
  await shoot(teacher, 'sign-in-filled');
  await Promise.all([teacher.waitForURL(`${server.url}/`), teacher.keyboard.press('Enter')]);
  await teacher.getByRole('heading', { level: 1, name: 'Your courses' }).waitFor();

  step('teacher opens the attendance window from the home page (Tab, Enter)');
  const openLabel = `Open attendance window for ${cast.course.name}`;
  await tabTo(teacher, (l) => l.name === openLabel, `"${openLabel}"`);
  await shoot(teacher, 'home-open-button-focused');
  await Promise.all([teacher.waitForURL(`${server.url}/`), teacher.keyboard.press('Enter')]);
  assert.match(await flashText(teacher), /^Attendance window ".+" is open\.$/);
  await checkAxe(teacher, 'home with a flash message');
  await shoot(teacher, 'home-window-open');

  step('teacher opens the window page from the course card');
  const opened = /^Attendance window "(.+)" is open\.$/.exec(await flashText(teacher))[1];
  await teacher.locator('.card').getByRole('link', { name: opened, exact: true }).click();
  await teacher.waitForURL(/\/windows\/[0-9a-f-]{36}$/);
  const windowId = teacher.url().split('/').at(-1);
  assert.notEqual(windowId, cast.openWindow.id, 'a new window, not the demo one');
  assert.match(await teacher.locator('.lead').textContent(), /^Open since/);
  await shoot(teacher, 'window-page-opened');

  // ---- trainee on a phone -------------------------------------------------------
  step('trainee scans the screen with a phone that was never linked');
  const phoneContext = await newContext(k_phone, { isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  const firstCode = screen.codeAt(windowId);
  assert.equal((await phone.goto(`/q/${firstCode}`)).status(), 200);
  await phone.getByRole('heading', { level: 1, name: opened, exact: true }).waitFor();
  assert.match(await phone.locator('.lead').textContent(), /type your personal code/);
  await checkAxe(phone, 'the phone link form');
  await shoot(phone, 'phone-link-form');
  await phone.getByRole('button', { name: 'Link this phone and check in' }).tap();
  await phone.locator('.error-summary').waitFor();
  assert.match(await phone.locator('.error-summary').textContent(), /Type your personal code/);
  await checkAxe(phone, 'the phone link form with an error');
  await shoot(phone, 'phone-link-form-empty-code');

  step(`teacher gets ${first.display_name} a phone code from the course roster`);
  await teacher.goto(`/courses/${cast.course.id}/roster`);
  await teacher.getByRole('button', { name: `Phone link code for ${first.display_name}` }).click();
  await teacher.getByRole('heading', { level: 1, name: `Phone link code for ${first.display_name}` }).waitFor();
  const linkCode = (await teacher.locator('.code-big code').textContent()).trim();
  assert.match(linkCode, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/, 'a personal code, as the phone page describes it');
  await checkAxe(teacher, 'the phone link code page');
  await shoot(teacher, 'teacher-phone-code');

  step('trainee types the code: the phone is linked and checked in');
  await phone.getByLabel('Your personal code').fill(linkCode.toLowerCase().replace('-', ' '));
  await phone.getByRole('button', { name: 'Link this phone and check in' }).tap();
  await phone.getByRole('heading', { level: 1, name: opened, exact: true }).waitFor();
  const checkedIn = (await phone.getByRole('status').textContent()).trim();
  const at = /^You are checked in at (\d\d:\d\d), (on time|late by \d+ min)\.$/.exec(checkedIn)?.[1];
  assert.ok(at, `the phone says when it checked in: "${checkedIn}"`);
  assert.ok((await phone.locator('main').textContent()).includes(`Checked in as ${first.display_name}.`),
            'the phone names who it checked in');
  const device = (await phoneContext.cookies()).find((c) => c.name === 'imhere_device');
  assert.ok(device?.httpOnly && device.path === '/q/', `the phone keeps an HttpOnly device cookie: ${JSON.stringify(device)}`);
  await checkAxe(phone, 'the phone after checking in');
  await shoot(phone, 'phone-checked-in');

  step('a second scan says already checked in');
  assert.equal((await phone.goto(`/q/${await screen.nextCode(windowId, firstCode)}`)).status(), 200);
  assert.equal((await phone.getByRole('status').textContent()).trim().replace(/, (on time|late by \d+ min)\.$/, '.'),
               `You are already checked in at ${at}.`);
  assert.equal(await phone.getByRole('button', { name: 'Check in' }).count(), 0, 'nothing left to tap');
  await shoot(phone, 'phone-already-checked-in');

  step('an old code and a forged code say to scan the screen again');
  const old = screen.codeAt(windowId, Date.now() - 60_000);
  assert.equal((await phone.goto(`/q/${old}`)).status(), 410);
  await phone.getByRole('heading', { level: 1, name: 'This code has expired' }).waitFor();
  assert.match(await phone.locator('.lead').textContent(), /Scan the code on the screen again\./);
  await checkAxe(phone, 'the expired code page');
  await shoot(phone, 'phone-code-expired');
  // The same code with its last character changed: the signature no longer matches.
  const current = screen.codeAt(windowId);
  const forged = current.slice(0, -1) + (current.at(-1) === 'A' ? 'B' : 'A');
  assert.equal((await phone.goto(`/q/${forged}`)).status(), 400);
  await phone.getByRole('heading', { level: 1, name: 'This is not a check-in code' }).waitFor();
  assert.match(await phone.locator('.lead').textContent(), /^Scan the code on the classroom screen/);
  await shoot(phone, 'phone-code-forged');

  step(`${third.display_name} checks in from another phone on the same network`);
  await teacher.goto(`/courses/${cast.course.id}/roster`);
  await teacher.getByRole('button', { name: `Phone link code for ${third.display_name}` }).click();
  const thirdCode = (await teacher.locator('.code-big code').textContent()).trim();
  const otherPhone = await newPage(k_phone, { isMobile: true, hasTouch: true });
  assert.equal((await otherPhone.goto(`/q/${screen.codeAt(windowId)}`)).status(), 200);
  await otherPhone.getByLabel('Your personal code').fill(thirdCode);
  await otherPhone.getByRole('button', { name: 'Link this phone and check in' }).tap();
  assert.match((await otherPhone.getByRole('status').textContent()).trim(), /^You are checked in at \d\d:\d\d/);
  assert.ok((await otherPhone.locator('main').textContent()).includes(`Checked in as ${third.display_name}.`),
            'the second phone checked in its own trainee');

  step('the course page points the teacher to the window with two remote check-ins to review');
  await teacher.goto(`/courses/${cast.course.id}`);
  const reviewLink = teacher.getByRole('link', { name: '2 remote check-ins to review' });
  await reviewLink.scrollIntoViewIfNeeded();
  await shoot(teacher, 'course-remote-review');
  await reviewLink.click();
  await teacher.waitForURL(`**/windows/${windowId}#reviews`);

  step(`teacher sees ${first.display_name} checked in from a phone, and two remote check-ins from one network to review`);
  await teacher.goto(`/windows/${windowId}`);
  const firstRow = await rowOf(teacher, first.display_name).textContent();
  assert.ok(firstRow.includes(`Checked in ${at}`), `the window page has the phone's time ${at}: "${firstRow}"`);
  assert.match(firstRow, /Remote/);
  const review = teacher.getByRole('heading', { level: 2, name: 'Remote check-ins to review' });
  const reviewText = await review.locator('xpath=following-sibling::ul[1]').textContent();
  assert.match(reviewText, /2 people checked in from one network/);
  assert.ok(reviewText.includes(first.display_name) && reviewText.includes(third.display_name),
            `the review names both: "${reviewText}"`);
  await checkAxe(teacher, 'the window page with a review');
  await shoot(teacher, 'window-trainee-checked-in');

  // ---- teacher sees it, toggles, flags ------------------------------------------
  step(`teacher marks ${second.display_name} present: forgot to clock in`);
  await rowOf(teacher, second.display_name).getByRole('link', { name: `Change ${second.display_name}'s record` }).click();
  await teacher.getByRole('heading', { level: 1, name: second.display_name }).waitFor();
  await teacher.getByLabel('Reason').fill('forgot to clock in');
  await checkAxe(teacher, 'the record page');
  await shoot(teacher, 'record-toggle-reason');
  await teacher.getByRole('button', { name: 'Mark present' }).click();
  await teacher.waitForURL(`${server.url}/windows/${windowId}`);
  assert.equal(await flashText(teacher), `${second.display_name} is marked present.`);
  assert.match(await rowOf(teacher, second.display_name).textContent(), /Marked present.*Corrected/);
  await shoot(teacher, 'window-marked-present');
  const secondRecord = (await server.api('GET', `/api/v1/windows/${windowId}/records`, { as: teacherApi }))
    .json.records.find((r) => r.person === second.public_id);
  assert.ok(secondRecord.present && secondRecord.corrected, `${second.display_name} is present by correction`);

  step(`teacher sets CAMERA OFF on ${first.display_name}`);
  await rowOf(teacher, first.display_name).getByRole('link', { name: `Change ${first.display_name}'s record` }).click();
  await teacher.getByLabel('Flag').selectOption({ label: 'Camera off' });
  await teacher.getByRole('button', { name: 'Set flag' }).click();
  await teacher.waitForURL(`${server.url}/windows/${windowId}`);
  assert.equal(await flashText(teacher), `${first.display_name}'s flags are updated.`);
  assert.match(await rowOf(teacher, first.display_name).textContent(), /Camera off/);
  await checkAxe(teacher, 'window page after setting a flag');
  await shoot(teacher, 'window-flag-set');

  // ---- TA is refused -------------------------------------------------------------
  step('TA sees no remove control and a forged remove is refused');
  const ta = await newPage(k_desktop);
  await ta.goto('/login');
  await ta.getByLabel('Email address').fill(cast.tas[0].email);
  await ta.getByLabel('Password').fill(k_demoStaffPassword);
  await Promise.all([ta.waitForURL(`${server.url}/`), ta.getByRole('button', { name: 'Sign in' }).click()]);
  await ta.goto(`/courses/${cast.course.id}/roster`);
  await ta.getByRole('table', { name: `Students in ${cast.course.name}` }).waitFor();
  assert.equal(await ta.getByRole('link', { name: /^Remove / }).count(), 0, 'a TA is offered no Remove link');
  await shoot(ta, 'ta-course-page');
  // What a crafted request from the TA's own browser would do: the form the
  // teacher's page has, posted with the TA's session and token.
  const [refusal] = await Promise.all([
    ta.waitForResponse((r) => r.url().endsWith('/remove')),
    ta.evaluate(([course, person]) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = `/courses/${course}/members/${person}/remove`;
      const csrf = document.querySelector('input[name=csrf]').cloneNode();
      form.append(csrf);
      document.body.append(form);
      form.submit();
    }, [cast.course.id, first.public_id]),
  ]);
  assert.equal(refusal.status(), 403);
  await ta.getByRole('heading', { level: 1, name: 'You cannot do that' }).waitFor();
  await checkAxe(ta, 'the 403 page');
  await shoot(ta, 'ta-remove-refused');
  const rosterAfter = (await server.api('GET', `/api/v1/courses/${cast.course.id}/members`, { as: teacherApi }))
    .json.members.map((m) => m.public_id).sort();
  assert.deepEqual(rosterAfter, rosterBefore, 'the roster is unchanged');

  // ---- next class: the linked phone checks in with one tap ----------------------
  step('next class: the teacher closes this window and opens the next one');
  await teacher.goto(`/windows/${windowId}`);
  await teacher.getByRole('link', { name: 'Close attendance window' }).click();
  // It asks first, saying who will be marked absent; Confirm closes it.
  await teacher.waitForURL(`${server.url}/windows/${windowId}/close`);
  assert.match(await teacher.locator('main ul').first().textContent(),
               /\d+ people who have not checked in will be marked absent\./);
  await checkAxe(teacher, 'the page that asks before closing a window');
  await shoot(teacher, 'close-window-confirm');
  await teacher.getByRole('button', { name: 'Close attendance window' }).click();
  await teacher.waitForURL(`${server.url}/windows/${windowId}`);
  assert.match(await flashText(teacher), /is closed\./);
  await teacher.goto('/');
  await Promise.all([teacher.waitForURL(`${server.url}/`), teacher.getByRole('button', { name: openLabel }).click()]);
  const nextTitle = /^Attendance window "(.+)" is open\.$/.exec(await flashText(teacher))[1];
  await teacher.locator('.card').getByRole('link', { name: nextTitle, exact: true }).click();
  await teacher.waitForURL(/\/windows\/[0-9a-f-]{36}$/);
  const nextWindowId = teacher.url().split('/').at(-1);
  assert.notEqual(nextWindowId, windowId, 'a new window');

  step('the linked phone scans and checks in with one tap');
  assert.equal((await phone.goto(`/q/${screen.codeAt(nextWindowId)}`)).status(), 200);
  await phone.getByRole('heading', { level: 1, name: nextTitle, exact: true }).waitFor();
  assert.equal((await phone.locator('.lead').textContent()).trim(), `Checking in as ${first.display_name}.`);
  await checkAxe(phone, "the linked phone's check-in page");
  await shoot(phone, 'phone-linked-one-tap');
  await phone.getByRole('button', { name: 'Check in', exact: true }).tap();
  await phone.getByRole('status').waitFor();
  const nextAt = /^You are checked in at (\d\d:\d\d)/.exec((await phone.getByRole('status').textContent()).trim())?.[1];
  assert.ok(nextAt, 'the phone says it checked in');
  await shoot(phone, 'phone-linked-checked-in');
  await teacher.reload();
  const nextRow = await rowOf(teacher, first.display_name).textContent();
  assert.ok(nextRow.includes(`Checked in ${nextAt}`) && nextRow.includes('Remote'),
            `the next window has the remote check-in: "${nextRow}"`);
} catch (e) {
  console.error(`FAIL: ${e.stack ?? e}`);
  if (server) console.error(`server log:\n${server.log.slice(-4000)}`);
  await cleanUp();
  process.exit(1);
}
await cleanUp();
console.log(`e2e passed; ${shots} screenshots in ${outDir}`);
