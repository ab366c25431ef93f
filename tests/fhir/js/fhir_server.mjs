// A real FHIR R4 server for the tests: Medplum's FhirRouter with its MemoryRepository,
// on loopback. Every create/update is validated by Medplum's validator first (an invalid
// resource gets 400 with an OperationOutcome). Optional bearer-token check and an OAuth2
// client-credentials token endpoint (/oauth2/token) for the delivery tests.
//
//   node tests/fhir/js/fhir_server.mjs --port 7310 [--token T] [--client-id ID --client-secret S]
//
// Test-only controls: POST /_test/drop-next-response (the next request is processed but
// the connection is closed without an answer), GET /_test/requests (count per method).
import http from 'node:http';
import { getStatus, normalizeOperationOutcome, validateResource } from '@medplum/core';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import { loadDefinitions } from './definitions.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const port = Number(args.port || 7310);
const staticToken = args.token || null;
const clientId = args['client-id'] || null;
const clientSecret = args['client-secret'] || null;
const issued = new Set();

loadDefinitions();

function check(resource) {
  const issues = validateResource(resource) || [];
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) {
    const err = new Error('invalid resource');
    err.outcome = { resourceType: 'OperationOutcome', issue: errors };
    throw err;
  }
}

class ValidatingRepository extends MemoryRepository {
  async createResource(resource, options) {
    check(resource);
    return super.createResource(resource, options);
  }
  async updateResource(resource, options) {
    check(resource);
    return super.updateResource(resource, options);
  }
}

const repo = new ValidatingRepository();
const router = new FhirRouter();
let dropNext = false;
const counts = {};

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}

function authorised(req) {
  if (!staticToken && !clientId) return true;
  const header = req.headers.authorization || '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : null;
  return token !== null && (token === staticToken || issued.has(token));
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  const raw = await readBody(req);
  if (url.pathname === '/_test/drop-next-response' && req.method === 'POST') {
    dropNext = true;
    return send(res, 200, { ok: true });
  }
  if (url.pathname === '/_test/requests') return send(res, 200, counts);
  if (url.pathname === '/oauth2/token' && req.method === 'POST') {
    const form = new URLSearchParams(raw);
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = req.headers.authorization || '';
    if (basic.startsWith('Basic ')) [id, secret] = Buffer.from(basic.slice(6), 'base64').toString().split(':');
    if (form.get('grant_type') !== 'client_credentials' || id !== clientId || secret !== clientSecret) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const token = `tok-${Math.random().toString(36).slice(2)}`;
    issued.add(token);
    return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 300 });
  }
  if (!url.pathname.startsWith('/fhir')) return send(res, 404, {});
  counts[req.method] = (counts[req.method] || 0) + 1;
  if (!authorised(req)) {
    return send(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
  }
  let body;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    return send(res, 400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure' }] });
  }
  const pathname = url.pathname.slice('/fhir'.length) || '/';
  const query = Object.fromEntries(url.searchParams.entries());
  const headers = { ...req.headers };
  try {
    const [outcome, resource] = await router.handleRequest(
      { method: req.method, url: pathname + url.search, body, params: {}, query, headers,
        config: { transactions: true } }, repo);
    if (dropNext) {
      dropNext = false;
      req.socket.destroy();
      return;
    }
    send(res, getStatus(outcome), resource ?? outcome);
  } catch (err) {
    const outcome = err.outcome || normalizeOperationOutcome(err);
    send(res, err.outcome ? 400 : getStatus(outcome), outcome);
  }
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`fhir-server listening on ${port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
