// graphql-http's audit of a server against the GraphQL-over-HTTP
// specification, run by explorer/browser_test.go: every MUST, SHOULD and MAY
// it checks must pass. Usage: node http-audit.mjs URL
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) throw new Error('usage: node http-audit.mjs URL');
let failed = 0;
let passed = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  if (result.status === 'ok') {
    passed++;
  } else {
    failed++;
    console.log(`${result.status.toUpperCase()} ${audit.name}: ${result.reason}`);
  }
}
console.log(`${passed} audits passed, ${failed} did not`);
if (failed) process.exit(1);
