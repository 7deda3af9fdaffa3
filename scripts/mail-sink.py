#!/usr/bin/env python3
"""A stand-in for a mail server, for the demo (run-demo.sh).

Speaks enough SMTP on 127.0.0.1:PORT for imhere-server's sender (plain
SMTP, no STARTTLS, no login: the demo runs it with smtp-starttls = no),
accepts every message and appends one line per message to LOG: the time,
the recipient, the subject and the first link in the text, so that a demo
user can open an invitation or a password link as its recipient would.
Each whole message is also kept in LOG's directory as mail-N.eml.

    mail-sink.py PORT LOG
"""
import os
import re
import socketserver
import sys
import time
from email import message_from_bytes
from email.header import decode_header, make_header

LINK = re.compile(rb"https?://\S+")
counter = 0


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        self.reply("220 imhere-demo-mail ESMTP")
        recipients = []
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            verb = line.strip().split(b" ", 1)[0].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250-imhere-demo-mail")
                self.reply("250 8BITMIME")
            elif verb == b"MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == b"RCPT":
                recipients.append(line.split(b":", 1)[-1].strip(b" <>\r\n").decode("utf-8", "replace"))
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.keep(recipients, self.read_data())
                self.reply("250 OK: queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            elif verb in (b"RSET", b"NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 Command not implemented")

    def read_data(self):
        lines = []
        while True:
            line = self.rfile.readline(1 << 16)
            if not line or line in (b".\r\n", b".\n"):
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b"..") else line)

    def keep(self, recipients, data):
        global counter
        counter += 1
        folder = os.path.dirname(os.path.abspath(sys.argv[2]))
        with open(os.path.join(folder, f"mail-{counter}.eml"), "wb") as f:
            f.write(data)
        message = message_from_bytes(data)
        subject = str(make_header(decode_header(message.get("Subject", ""))))
        link = LINK.search(data)
        with open(sys.argv[2], "a", encoding="utf-8") as log:
            log.write(f"{time.strftime('%H:%M:%S')} to {', '.join(recipients)}: {subject}"
                      f"{': ' + link.group(0).decode('utf-8', 'replace') if link else ''}\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    Server(("127.0.0.1", int(sys.argv[1])), Session).serve_forever()
