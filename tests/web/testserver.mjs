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
      || !fs.existsSync(path.join(dir, 'node_modules', 'playwright-core'))) {
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
  static async start(binary) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imhere-web-'));
    const db = path.join(dir, 'imhere.db');
    run(binary, ['init', '--db', db]);
    run(binary, ['demo-data', '--db', db]);
    const server = new TestServer(dir, db);
    await server.#serve(binary);
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

  async #serve(binary) {
    // Loopback only; port 0 lets the kernel choose a free port.
    this.child = spawn(binary, ['serve', '--db', this.db, '--listen', '127.0.0.1:0'],
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
