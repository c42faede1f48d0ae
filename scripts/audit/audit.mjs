// Runs the GraphQL-over-HTTP server audit (graphql-http's auditServer) against a URL.
// Exits 1 when any audit fails; warnings are printed but do not fail.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
let failed = 0;
for (const result of results) {
  if (result.status === 'error') failed += 1;
  if (result.status !== 'ok') {
    console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason ?? ''}`);
  }
}
const ok = results.filter((r) => r.status === 'ok').length;
const warned = results.filter((r) => r.status === 'warn').length;
console.log(`graphql-http audit: ${ok} ok, ${warned} warnings, ${failed} failed`);
process.exit(failed ? 1 : 0);
