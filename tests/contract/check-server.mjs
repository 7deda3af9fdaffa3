// The contract checker the C++ HTTP tests talk to (tests/server/contract.h):
// one JSON request a line on stdin, one JSON answer a line on stdout.
//
//   {"op":"check","method","path","status","content_type","body","headers"}
//       → {"errors":[...]}           every answer a test receives
//   {"op":"routes"}  → {"routes":["GET /api/v1/me", ...]}
//   {"op":"tries"}   → {"tries":[...]}  the runnable examples (x-try)
//
// With IMHERE_CONTRACT_LOG set, each checked answer's "METHOD template
// status" is appended to that file, so a run can say what it covered.
//
//   node check-server.mjs docs/openapi.yaml

import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Contract } from './contract.mjs';
import { runnableExamples } from './examples.mjs';

const file = process.argv[2];
let contract;
let loadError = null;
try {
  contract = new Contract(file);
} catch (e) {
  loadError = `docs/openapi.yaml cannot be read as a contract: ${e.message}`;
}
const log = process.env.IMHERE_CONTRACT_LOG;

function answer(request) {
  if (loadError) return { errors: [loadError] };
  switch (request.op) {
  case 'check': {
    const errors = contract.check({
      method: request.method, path: request.path, status: request.status,
      contentType: request.content_type, body: request.body, headers: request.headers,
    });
    if (log) {
      const found = contract.match(request.method, request.path);
      const name = found.op ? `${found.op.method} ${found.op.template}` : 'unrouted';
      appendFileSync(log, `${name} ${request.status}${errors.length ? ' FAILED' : ''}\n`);
    }
    return { errors };
  }
  case 'routes':
    return { routes: contract.ops.map(o => `${o.method} ${o.template}`) };
  case 'tries':
    return { tries: runnableExamples(contract.doc) };
  default:
    return { errors: [`unknown op ${request.op}`] };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  let reply;
  try {
    reply = answer(JSON.parse(line));
  } catch (e) {
    reply = { errors: [`contract checker: ${e.message}`] };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
