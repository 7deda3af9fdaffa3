#!/usr/bin/env python3
"""A stand-in for Slack's incoming webhooks, for the demo (run-demo.sh).

Listens on 127.0.0.1:PORT, answers every POST as Slack does ("ok", or
400 "invalid_payload" for a body that is not a JSON object with a text),
and appends one line per message to LOG: the time, the path and the
message's plain-text fallback. imhere-server posts here when it is started
with --slack-loopback yes and a course's webhook points here.

    slack-sink.py PORT LOG
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20))
        try:
            message = json.loads(body)
            text = message["text"]
            if not isinstance(text, str) or not isinstance(message.get("blocks", []), list):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            self.answer(400, b"invalid_payload")
            return
        with open(sys.argv[2], "a", encoding="utf-8") as log:
            log.write(f"{time.strftime('%H:%M:%S')} {self.path}: {text}\n")
        self.answer(200, b"ok")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # the log file is the record


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
