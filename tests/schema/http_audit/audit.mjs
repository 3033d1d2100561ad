// Audit a live crn /graphql with graphql-http's auditServer; prints one JSON document with the results.
// Usage: CRN_AUDIT_URL=http://127.0.0.1:PORT/graphql CRN_AUDIT_TOKEN=crn_... node audit.mjs
import { auditServer } from 'graphql-http';

const url = process.env.CRN_AUDIT_URL;
const token = process.env.CRN_AUDIT_TOKEN;

async function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers || {});
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const results = await auditServer({ url, fetchFn: fetchWithToken });
const out = [];
for (const result of results) {
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    try { entry.response = await result.response.text(); } catch { /* already read */ }
  }
  out.push(entry);
}
console.log(JSON.stringify(out));
