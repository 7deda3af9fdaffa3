// The document's examples as requests a test can send. Each operation lists
// its runnable examples under `x-try`:
//
//   x-try:
//     - {example: created, as: teacher, status: 201}
//     - {example: no_title, as: teacher, status: 422}
//     - {as: student, status: 403}
//
// `example` names the examples to use: a parameter's `examples[name]` (else
// its `example`), the request body's `examples[name]` (else its `example`,
// else no body; a multipart/form-data example is an object of fields, those
// named in the media type's `encoding` sent as files). `as` is who sends it (docs/openapi.yaml, info), `status`
// what the server must answer. The answer is then held against the document
// like any other.

import { METHODS, resolve } from './contract.mjs';

const MULTIPART_BOUNDARY = 'imhere-example-boundary';

function exampleValue(doc, holder, name) {
  if (!holder) return undefined;
  if (name && holder.examples && holder.examples[name]) return resolve(doc, holder.examples[name]).value;
  if (holder.example !== undefined) return holder.example;
  return undefined;
}

export function runnableExamples(doc) {
  const out = [];
  for (const [template, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve(doc, rawItem);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(p => resolve(doc, p));
      for (const attempt of op['x-try'] ?? []) {
        const name = attempt.example;
        let path = template;
        const query = [];
        const headers = [];
        for (const p of parameters) {
          const value = exampleValue(doc, p, name);
          if (p.in === 'path') {
            if (value === undefined) throw new Error(`${method.toUpperCase()} ${template}: no example for path parameter ${p.name}`);
            path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
          } else if (p.in === 'header' && value !== undefined && name && p.examples?.[name]) {
            headers.push(`${p.name}: ${value}`);
          } else if (p.in === 'query' && value !== undefined && (p.required || (name && p.examples?.[name]))) {
            query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(String(value))}`);
          }
        }
        if (query.length) path += `?${query.join('&')}`;
        let body = null;
        let contentType = null;
        const requestBody = resolve(doc, op.requestBody);
        for (const [type, media] of Object.entries(requestBody?.content ?? {})) {
          const value = exampleValue(doc, media, name);
          if (value === undefined) continue;
          contentType = type;
          if (type === 'multipart/form-data') {
            // Fields named in `encoding` with a content type are sent as files.
            contentType = `${type}; boundary=${MULTIPART_BOUNDARY}`;
            body = Object.entries(value).map(([k, v]) => {
              const file = media.encoding?.[k]?.contentType;
              const disposition = `form-data; name="${k}"` + (file ? `; filename="${k}.csv"` : '');
              return `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n`
                + (file ? `Content-Type: ${file}\r\n` : '') + `\r\n${String(v)}\r\n`;
            }).join('') + `--${MULTIPART_BOUNDARY}--\r\n`;
          } else if (type === 'application/x-www-form-urlencoded')
            body = new URLSearchParams(Object.entries(value).map(([k, v]) => [k, String(v)])).toString();
          else if (typeof value === 'string')
            body = value;
          else
            body = JSON.stringify(value);
          break;
        }
        out.push({
          operation: `${method.toUpperCase()} ${template}`, name: name ?? '', as: attempt.as ?? 'none',
          status: attempt.status, method: method.toUpperCase(), path, headers, body, content_type: contentType,
        });
      }
    }
  }
  return out;
}
