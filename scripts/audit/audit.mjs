// Runs the GraphQL-over-HTTP server audit (graphql-http's auditServer) against a URL.
// Exits 1 unless every audit is ok: a notice or a warning fails as an error does.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
for (const result of results) {
  if (result.status !== 'ok') {
    console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason ?? ''}`);
  }
}
const ok = results.filter((r) => r.status === 'ok').length;
console.log(`graphql-http audit: ${ok}/${results.length} ok`);
process.exit(ok === results.length ? 0 : 1);
