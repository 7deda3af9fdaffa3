// A small real SMTP server on loopback for the browser tests: it speaks
// EHLO/HELO, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP and QUIT,
// keeps every message, and lets a test wait for the next one to an address.
// What the server sends through libcurl arrives here as it would at a mail
// server (tests/server/smtpsink.h is the same for the Qt Test suites).

import net from 'node:net';

export class SmtpSink {
  constructor() {
    this.messages = []; // {to: [addresses], data: text}
    this.waiters = [];
    this.server = net.createServer((socket) => this.#session(socket));
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    return this;
  }

  stop() {
    this.server.close();
    for (const w of this.waiters) w.reject(new Error('the mail sink stopped'));
  }

  // The next message to `address` (one already here counts), within `ms`.
  waitFor(address, ms = 20_000) {
    const want = address.toLowerCase();
    const found = this.messages.find((m) => !m.read && m.to.includes(want));
    if (found) { found.read = true; return Promise.resolve(found); }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no mail to ${address} within ${ms} ms`)), ms);
      this.waiters.push({ address: want, resolve: (m) => { clearTimeout(timer); resolve(m); }, reject });
    });
  }

  #deliver(message) {
    this.messages.push(message);
    const i = this.waiters.findIndex((w) => message.to.includes(w.address));
    if (i >= 0) { message.read = true; this.waiters.splice(i, 1)[0].resolve(message); }
  }

  #session(socket) {
    socket.setEncoding('utf8');
    const say = (line) => socket.write(`${line}\r\n`);
    let buffer = '';
    let inData = false;
    let envelope = { to: [] };
    let data = [];
    say('220 imhere-test-sink ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            this.#deliver({ to: envelope.to, data: data.join('\r\n') });
            envelope = { to: [] };
            data = [];
            say('250 2.0.0 queued');
          } else {
            data.push(line.startsWith('.') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') { socket.write('250-imhere-test-sink\r\n250 8BITMIME\r\n'); }
        else if (verb === 'HELO') say('250 imhere-test-sink');
        else if (verb === 'MAIL') { envelope = { to: [] }; say('250 2.1.0 ok'); }
        else if (verb === 'RCPT') {
          const m = /<([^>]*)>/.exec(line);
          envelope.to.push((m ? m[1] : '').toLowerCase());
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') { inData = true; say('354 end with <CRLF>.<CRLF>'); }
        else if (verb === 'RSET') { envelope = { to: [] }; say('250 ok'); }
        else if (verb === 'NOOP') say('250 ok');
        else if (verb === 'QUIT') { say('221 bye'); socket.end(); }
        else say('502 5.5.2 not understood');
      }
    });
    socket.on('error', () => {});
  }
}

// The path of the password link in a message (/password/<token>).
export function passwordLinkIn(message) {
  const m = /\/password\/[A-Za-z0-9_-]+/.exec(message.data);
  if (!m) throw new Error(`no password link in the mail:\n${message.data}`);
  return m[0];
}
