// docs/openapi.yaml as a contract: the document read strictly (a duplicated
// key is an error), every schema compiled with Ajv's JSON Schema 2020-12
// validator (OpenAPI 3.1's schema dialect), and one function that holds an
// answer the server gave against the operation, status and media type the
// document declares for it.

import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const SCHEMA_BASE = 'openapi.json';

export function readDocument(file) {
  const text = readFileSync(file, 'utf8');
  // uniqueKeys (the default) makes a duplicated mapping key an error, as in
  // every strict YAML reader.
  const parsed = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (parsed.errors.length > 0)
    throw new Error(`${file}: ${parsed.errors.map(e => e.message).join('\n')}`);
  return parsed.toJS({ maxAliasCount: -1 });
}

// Follows a local "#/..." reference inside the document.
export function resolve(doc, node) {
  let seen = 0;
  while (node && typeof node === 'object' && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    if (++seen > 20) throw new Error(`reference loop at ${node.$ref}`);
    node = node.$ref.slice(2).split('/')
      .map(p => p.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((at, key) => (at === undefined ? undefined : at[key]), doc);
  }
  return node;
}

export function makeAjv(doc) {
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI's own words inside a Schema Object (3.1 §4.8.24): annotations,
  // not constraints.
  ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
  ajv.addSchema({ $id: SCHEMA_BASE, $defs: schemaFor(doc.components?.schemas ?? {}) });
  return ajv;
}

// A schema from the document with its "#/components/schemas/X" references
// pointed at the schema registered by makeAjv.
export function schemaFor(schema) {
  return JSON.parse(JSON.stringify(schema), (key, value) =>
    key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')
      ? `${SCHEMA_BASE}#/$defs/${value.slice('#/components/schemas/'.length)}`
      : value);
}

export function operations(doc) {
  const out = [];
  for (const [template, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve(doc, rawItem);
    for (const method of METHODS) {
      if (!item[method]) continue;
      const names = [];
      const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\\?\{([^}]+)\\?\}/g, (_, name) => { names.push(name); return '([^/]+)'; });
      out.push({
        method: method.toUpperCase(), template, item, op: item[method],
        regex: new RegExp(`^${pattern}$`), names,
      });
    }
  }
  return out;
}

function mediaType(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function formatErrors(errors) {
  return errors.map(e => `${e.instancePath || '(body)'} ${e.message}`
    + (e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : '')
    + (e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : '')).join('; ');
}

export class Contract {
  constructor(file) {
    this.doc = readDocument(file);
    this.ajv = makeAjv(this.doc);
    this.ops = operations(this.doc);
    this.validators = new Map();
  }

  // The operation a request reaches: a literal path segment wins over a
  // parameter, as in the server's router.
  match(method, path) {
    const bare = path.split('?')[0];
    const hits = this.ops.filter(o => o.regex.test(bare));
    if (hits.length === 0) return { pathKnown: false };
    hits.sort((a, b) => a.names.length - b.names.length);
    const op = hits.find(o => o.method === method);
    return { pathKnown: true, op, allowed: hits.map(o => o.method) };
  }

  validator(key, schema) {
    if (!this.validators.has(key)) this.validators.set(key, this.ajv.compile(schemaFor(schema)));
    return this.validators.get(key);
  }

  // The document's answer for a request no operation takes: a path no
  // operation has (404) or a method the path does not take (405).
  unroutedResponses() {
    return this.doc['x-unrouted-responses'] ?? {};
  }

  // Errors (strings) of one answer against the document; empty when it holds.
  check({ method, path, status, contentType, body, headers }) {
    const where = `${method} ${path.split('?')[0]} → ${status}`;
    const found = this.match(method, path);
    let responses;
    let name;
    if (found.op) {
      responses = found.op.op.responses ?? {};
      name = `${found.op.method} ${found.op.template}`;
    } else {
      responses = this.unroutedResponses();
      name = found.pathKnown ? 'x-unrouted-responses (method not taken)' : 'x-unrouted-responses (no such path)';
    }
    const rawResponse = responses[String(status)];
    if (!rawResponse)
      return [`${where}: ${name} documents no ${status} answer (it documents ${Object.keys(responses).join(', ') || 'none'})`];
    const response = resolve(this.doc, rawResponse);
    const errors = [];
    for (const [header, spec] of Object.entries(response.headers ?? {})) {
      const h = resolve(this.doc, spec);
      if (h.required && !(headers ?? []).some(line => line.toLowerCase().startsWith(`${header.toLowerCase()}:`)))
        errors.push(`${where}: required header ${header} is missing`);
    }
    const content = response.content ?? {};
    const type = mediaType(contentType);
    if (Object.keys(content).length === 0) {
      if (body && body.length > 0 && type !== '')
        errors.push(`${where}: the document declares no body for ${name} ${status}, the answer has ${type}`);
      return errors;
    }
    if (!content[type]) {
      errors.push(`${where}: Content-Type "${contentType ?? ''}" is not one the document declares (${Object.keys(content).join(', ')})`);
      return errors;
    }
    if (type === 'application/json' || type.endsWith('+json')) {
      let value;
      try {
        value = JSON.parse(body);
      } catch (e) {
        errors.push(`${where}: the body is not JSON (${e.message})`);
        return errors;
      }
      const schema = content[type].schema;
      if (!schema) {
        errors.push(`${where}: ${type} has no schema in the document`);
        return errors;
      }
      const validate = this.validator(`${name} ${status} ${type}`, schema);
      if (!validate(value))
        errors.push(`${where}: body does not match the document: ${formatErrors(validate.errors)}`);
    }
    return errors;
  }
}
