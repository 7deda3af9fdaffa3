// A real imhere-server for the browser tests: a temporary SQLite file filled
// by `demo-data`, served on 127.0.0.1 with a port the kernel picks, and
// sessions signed in through the JSON API. Stops the server (SIGTERM, then
// SIGKILL) when the test ends, however it ends.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const k_demoAdmin = { email: 'admin@imhere.demo', password: 'imhere-demo-admin' };
export const k_demoStaffPassword = 'imhere-demo-staff';
const k_startTimeoutMs = 30_000;
const k_commandTimeoutMs = 120_000; // demo-data hashes ten passwords with argon2id
const k_stopGraceMs = 5_000;
const k_requestTimeoutMs = 15_000;

// The exit code ctest reads as "skipped" (SKIP_RETURN_CODE in CMakeLists.txt).
export const k_skipped = 77;

// Exits with k_skipped when the npm packages were never installed; the
// packages are imported only after this check.
export function requireNodeModules(dir) {
  if (!fs.existsSync(path.join(dir, 'node_modules', 'lighthouse'))
      || !fs.existsSync(path.join(dir, 'node_modules', 'playwright-core'))
      || !fs.existsSync(path.join(dir, 'node_modules', 'puppeteer-core'))) {
    console.log('skipped: tests/web/node_modules is absent (scripts/install-web-deps.sh installs it)');
    process.exit(k_skipped);
  }
}

// Ends the process with a failure if the test has not finished by then: a
// hung browser or server must not hold up the suite until ctest's timeout.
export function watchdog(ms, onExpiry) {
  const timer = setTimeout(async () => {
    console.error(`FAIL: gave up after ${Math.round(ms / 1000)} s`);
    try { await onExpiry?.(); } finally { process.exit(1); }
  }, ms);
  timer.unref();
  return timer;
}

function run(binary, args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: k_commandTimeoutMs });
  if (r.status !== 0)
    throw new Error(`${path.basename(binary)} ${args[0]} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export class TestServer {
  // `serveArgs`: more options for `serve` (mail settings, say); `port`: one
  // chosen beforehand, for a --public-url that names it (0: the kernel's).
  static async start(binary, { serveArgs = [], port = 0 } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imhere-web-'));
    const db = path.join(dir, 'imhere.db');
    run(binary, ['init', '--db', db]);
    run(binary, ['demo-data', '--db', db]);
    const server = new TestServer(dir, db);
    await server.#serve(binary, serveArgs, port);
    return server;
  }

  constructor(dir, db) {
    this.dir = dir;
    this.db = db;
    this.url = null;
    this.child = null;
    this.log = '';
  }

  get kioskToken() { return fs.readFileSync(path.join(this.dir, 'demo-kiosk-token.txt'), 'utf8').trim(); }

  // The demo kiosk (by the door of every demo course) as it learns itself
  // from its first sync: its number and the key of its rotating codes.
  async demoKiosk() {
    const r = await this.api('POST', '/api/v1/kiosk/sync', {
      bearer: this.kioskToken, body: { protocol: 1, kiosk_time: Date.now(), cursor: 0, events: [] },
    });
    const { id, secret } = r.json.kiosk ?? {};
    if (!id || !secret) throw new Error(`the first sync named no kiosk: ${JSON.stringify(r.json.kiosk)}`);
    return { id, secret };
  }

  async #serve(binary, serveArgs, port) {
    // Loopback only; port 0 lets the kernel choose a free port.
    this.child = spawn(binary, ['serve', '--db', this.db, '--listen', `127.0.0.1:${port}`, ...serveArgs],
                       { stdio: ['ignore', 'pipe', 'pipe'] });
    const stopOnExit = () => { try { this.child.kill('SIGKILL'); } catch { /* gone */ } };
    process.once('exit', stopOnExit);
    this.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${this.log}`)), k_startTimeoutMs);
      const onData = (chunk) => {
        this.log += chunk;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(this.log);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      };
      this.child.stdout.setEncoding('utf8').on('data', onData);
      this.child.stderr.setEncoding('utf8').on('data', (c) => { this.log += c; });
      this.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before listening:\n${this.log}`));
      });
    });
  }

  async stop() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), k_stopGraceMs);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // A JSON API call; `as` is a session from signIn(). Returns the parsed body.
  async api(method, apiPath, { as, body, bearer, expect = [200, 201] } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (as) { headers.Cookie = as.cookie; headers['X-CSRF-Token'] = as.csrf; }
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const r = await fetch(this.url + apiPath, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual', signal: AbortSignal.timeout(k_requestTimeoutMs),
    });
    const text = await r.text();
    if (!expect.includes(r.status)) throw new Error(`${method} ${apiPath}: ${r.status} ${text}`);
    return { status: r.status, headers: r.headers, json: text ? JSON.parse(text) : null };
  }

  // A form post as a page sends it (`as` from signIn() adds the session and
  // its CSRF token); `cookie` is any other cookie. Returns status and HTML.
  async postForm(formPath, fields = {}, { as, cookie } = {}) {
    const body = new URLSearchParams(as ? { csrf: as.csrf, ...fields } : fields);
    const cookies = [as?.cookie, cookie].filter(Boolean).join('; ');
    const r = await fetch(this.url + formPath, {
      method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(k_requestTimeoutMs),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookies ? { Cookie: cookies } : {}) },
    });
    return { status: r.status, headers: r.headers, html: await r.text() };
  }

  // A phone link code for `person` in `course`, as a course's teacher (or an
  // org admin, `as`) gets it with the roster's "Phone code" button.
  async linkCode(as, course, person) {
    const r = await this.postForm(`/courses/${course}/members/${person}/link-code`, {}, { as });
    const code = /<code>([A-Z2-9]{5}-[A-Z2-9]{5})<\/code>/.exec(r.html)?.[1];
    if (r.status !== 200 || !code) throw new Error(`no link code for ${person}: ${r.status} ${r.html.slice(0, 300)}`);
    return code;
  }

  // Signs in through the JSON API: the session cookie ("name=value") and its
  // CSRF token, as the dashboard's own login form would leave them.
  async signIn(email, password) {
    const r = await this.api('POST', '/api/v1/login', { body: { email, password } });
    const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('imhere_session='));
    if (!cookie) throw new Error(`no session cookie for ${email}`);
    return { cookie, csrf: r.json.csrf_token, person: r.json.person, email, password };
  }
}

// The people and places of the demo school the tests visit: the first
// course with its teacher, a TA, trainees, its open window and a closed one.
export async function demoCast(server) {
  const admin = await server.signIn(k_demoAdmin.email, k_demoAdmin.password);
  const people = (await server.api('GET', '/api/v1/people', { as: admin })).json.people;
  const emailOf = new Map(people.map((p) => [p.public_id, p.email]));
  const courses = (await server.api('GET', '/api/v1/courses', { as: admin })).json.courses;
  const course = courses[0];
  const members = (await server.api('GET', `/api/v1/courses/${course.id}/members`, { as: admin })).json.members;
  const windows = (await server.api('GET', `/api/v1/courses/${course.id}/windows`, { as: admin })).json.windows;
  const byRole = (role) => members.filter((m) => m.role === role)
    .map((m) => ({ ...m, email: emailOf.get(m.public_id) }));
  return {
    admin, course, members, windows,
    teacher: byRole('teacher')[0],
    tas: byRole('ta'),
    students: byRole('student'),
    openWindow: windows.find((w) => w.opened_at && !w.closed_at),
    closedWindow: windows.filter((w) => w.closed_at).at(-1),
  };
}

// A phone on the /q/ pages, without a browser: keeps the device cookie the
// server gives it, as a browser would.
export class Phone {
  constructor(server) {
    this.server = server;
    this.cookie = null; // "imhere_device=..."
  }

  async scan(code) {
    const r = await fetch(`${this.server.url}/q/${code}`, {
      headers: this.cookie ? { Cookie: this.cookie } : {}, redirect: 'manual',
      signal: AbortSignal.timeout(k_requestTimeoutMs),
    });
    const set = r.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('imhere_device='));
    if (set) this.cookie = set;
    const html = await r.text();
    return { status: r.status, html, ticket: /name="ticket" value="([^"]*)"/.exec(html)?.[1] };
  }

  // Scans `code` and taps the page's button, typing `linkCode` first if given.
  async checkIn(code, linkCode) {
    const page = await this.scan(code);
    if (page.status !== 200 || !page.ticket) throw new Error(`/q/ scan: ${page.status} ${page.html.slice(0, 300)}`);
    const fields = { ticket: page.ticket, ...(linkCode ? { link_code: linkCode } : {}) };
    const r = await this.server.postForm(`/q/${code}`, fields, { cookie: this.cookie });
    if (r.status !== 200 || !/checked in/.test(r.html)) throw new Error(`/q/ check-in: ${r.status} ${r.html.slice(0, 300)}`);
    return r;
  }
}

// The rotating code a kiosk's screen shows (DESIGN §4), computed by
// imhere-test-rotating-code with the kiosk's key, as the kiosk computes it.
// A code is accepted for 10 to 22 s after it appears.
export class KioskScreen {
  static k_stepMs = 10_000;

  constructor(codeTool, kiosk) {
    this.codeTool = codeTool;
    this.kiosk = kiosk;
  }

  // The code shown for `windowId` at `atMs` (now by default).
  codeAt(windowId, atMs = Date.now()) {
    const out = run(this.codeTool, [this.kiosk.secret, String(this.kiosk.id), windowId, String(Math.floor(atMs))]);
    const code = out.trim();
    if (!/^[A-Za-z0-9_-]{48}$/.test(code)) throw new Error(`not a rotating code: "${code}"`);
    return code;
  }

  // The next code on the screen after `previous`: waits (at most one step)
  // for the screen to move on if `previous` is still showing.
  async nextCode(windowId, previous) {
    for (;;) {
      const code = this.codeAt(windowId);
      if (code !== previous) return code;
      const untilNextStep = KioskScreen.k_stepMs - (Date.now() % KioskScreen.k_stepMs) + 50;
      await new Promise((resolve) => setTimeout(resolve, untilNextStep));
    }
  }
}
