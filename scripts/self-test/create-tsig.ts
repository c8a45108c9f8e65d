// Self-test step: creates a TSIG key on the emulator through its API and writes its id as the step output
// tsig_id. Node rather than curl + jq, so it runs the same on every OS. Goes once the action creates keys
// itself (tsig_name / tsig_secret).
// Usage: API_URL=… ACCOUNT_ID=… API_TOKEN=… node scripts/self-test/create-tsig.ts
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

const { API_URL, ACCOUNT_ID, API_TOKEN, GITHUB_OUTPUT } = process.env;
if (!GITHUB_OUTPUT) throw new Error('GITHUB_OUTPUT is not set: run this as a step of a workflow');

const response = await fetch(`${API_URL}/accounts/${ACCOUNT_ID}/secondary_dns/tsigs`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ name: 'self-test-key', algo: 'hmac-sha256.', secret: 'c2VsZi10ZXN0LXNlY3JldA==' }),
});
const body = (await response.json()) as { success: boolean; result?: { id: string }; errors?: unknown };
if (!body.success || !body.result) throw new Error(`creating the TSIG key failed: ${JSON.stringify(body.errors)}`);
appendFileSync(GITHUB_OUTPUT, `tsig_id=${body.result.id}${EOL}`);
