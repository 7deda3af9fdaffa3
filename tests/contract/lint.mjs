// Checks docs/openapi.yaml as outside tools and clients will read it:
//  1. @apidevtools/swagger-parser validates it against the OpenAPI 3.1
//     schema and resolves every reference;
//  2. the document reads strictly (no duplicated key) and every schema in it
//     compiles under Ajv's strict JSON Schema 2020-12;
//  3. every object schema says on purpose which properties are required and
//     whether others are allowed (`required` and `additionalProperties`);
//  4. every operation has runnable examples (`x-try`) for at least one
//     success and one error, each answering a status the operation declares,
//     and an example for every parameter, request body and response body;
//  5. every response example validates against its schema, and so does every
//     request and parameter example, except those sent only to get a 4xx.
// Redocly's linter runs beside it (tests/contract/redocly.yaml).
//
//   node lint.mjs docs/openapi.yaml

import SwaggerParser from '@apidevtools/swagger-parser';
import { Contract, METHODS, resolve, schemaFor } from './contract.mjs';

const file = process.argv[2];
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

try {
  await SwaggerParser.validate(file);
} catch (e) {
  problem(file, `swagger-parser: ${e.message}`);
}

let contract;
try {
  contract = new Contract(file);
} catch (e) {
  console.error(`${file}: ${e.message}`);
  process.exit(1);
}
const { doc, ajv } = contract;

// 3. Every object schema, wherever it is.
function walkSchema(schema, where) {
  if (!schema || typeof schema !== 'object') return;
  if (schema.$ref) return;
  const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'))
    || schema.properties !== undefined;
  if (isObject) {
    if (schema.required === undefined) problem(where, 'object schema without `required`');
    if (schema.additionalProperties === undefined && schema.patternProperties === undefined)
      problem(where, 'object schema without `additionalProperties`');
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) walkSchema(sub, `${where}.${name}`);
  if (schema.items) walkSchema(schema.items, `${where}[]`);
  if (typeof schema.additionalProperties === 'object') walkSchema(schema.additionalProperties, `${where}.*`);
  for (const key of ['oneOf', 'anyOf', 'allOf'])
    (schema[key] ?? []).forEach((sub, i) => walkSchema(sub, `${where}.${key}[${i}]`));
}
for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
  walkSchema(schema, `#/components/schemas/${name}`);

function compile(schema, where) {
  try {
    return ajv.compile(schemaFor(schema));
  } catch (e) {
    problem(where, `schema does not compile: ${e.message}`);
    return null;
  }
}

function checkValue(schema, value, where) {
  const validate = compile(schema, where);
  if (validate && !validate(value))
    problem(where, `example does not match its schema: ${ajv.errorsText(validate.errors)}`);
}

// An example name that only ever asks for an error may break its schema: it
// is the wrong request the error answers.
const successes = new Set();
for (const o of contract.ops)
  for (const t of o.op['x-try'] ?? [])
    if (t.status < 400) successes.add(t.example ?? 'default');
const onlyForErrors = (exampleName) => !successes.has(exampleName);

let tries = 0;
let declared = 0;
for (const o of contract.ops) {
  const name = `${o.method} ${o.template}`;
  const op = o.op;
  const responses = op.responses ?? {};
  declared += Object.keys(responses).length;
  const attempts = op['x-try'] ?? [];
  tries += attempts.length;
  if (!attempts.some(t => t.status >= 200 && t.status < 400)) problem(name, 'no x-try for a success');
  if (!attempts.some(t => t.status >= 400 && t.status < 500)) problem(name, 'no x-try for an error');
  for (const t of attempts)
    if (!responses[String(t.status)]) problem(name, `x-try expects ${t.status}, which the operation does not declare`);

  const parameters = [...(o.item.parameters ?? []), ...(op.parameters ?? [])].map(p => resolve(doc, p));
  for (const p of parameters) {
    const where = `${name} parameter ${p.name}`;
    walkSchema(p.schema, where);
    if (p.example === undefined && !p.examples) problem(where, 'no example');
    if (p.example !== undefined) checkValue(p.schema, p.example, `${where} example`);
    for (const [exampleName, ex] of Object.entries(p.examples ?? {}))
      if (!onlyForErrors(exampleName)) checkValue(p.schema, resolve(doc, ex).value, `${where} examples.${exampleName}`);
  }

  const requestBody = resolve(doc, op.requestBody);
  for (const [type, media] of Object.entries(requestBody?.content ?? {})) {
    const where = `${name} request ${type}`;
    walkSchema(media.schema, where);
    if (media.example === undefined && !media.examples) problem(where, 'no example');
    if (media.example !== undefined && !onlyForErrors('default'))
      checkValue(media.schema, media.example, `${where} example`);
    for (const [exampleName, ex] of Object.entries(media.examples ?? {}))
      if (!onlyForErrors(exampleName)) checkValue(media.schema, resolve(doc, ex).value, `${where} examples.${exampleName}`);
  }

  for (const [status, raw] of Object.entries(responses)) {
    const response = resolve(doc, raw);
    for (const [type, media] of Object.entries(response.content ?? {})) {
      const where = `${name} ${status} ${type}`;
      if (!media.schema) { problem(where, 'no schema'); continue; }
      walkSchema(media.schema, where);
      if (media.example === undefined && !media.examples) problem(where, 'no example');
      if (type === 'application/json') {
        if (media.example !== undefined) checkValue(media.schema, media.example, `${where} example`);
        for (const [exampleName, ex] of Object.entries(media.examples ?? {}))
          checkValue(media.schema, resolve(doc, ex).value, `${where} examples.${exampleName}`);
      }
    }
  }
}

const unique = [...new Set(problems)];
for (const p of unique) console.error(p);
console.log(`${file}: ${contract.ops.length} operations, ${declared} declared answers, ${tries} runnable examples; `
  + `${unique.length} problem${unique.length === 1 ? '' : 's'}`);
process.exit(unique.length === 0 ? 0 : 1);
