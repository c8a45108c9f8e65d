// The floor: the least a script can do for a name-only Create Peer. One POST with Node's built-in
// fetch, outputs written to GITHUB_OUTPUT by hand, nothing else: no validation, no lookup, no retries.
import { appendFileSync } from 'node:fs';

const env = process.env;
const response = await fetch(`${env.INPUT_API_URL}/accounts/${env.INPUT_ACCOUNT_ID}/secondary_dns/peers`, {
  method: 'POST',
  headers: { authorization: `Bearer ${env.INPUT_API_TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ name: env.INPUT_NAME }),
});
const { result } = await response.json();
appendFileSync(env.GITHUB_OUTPUT, `peer_id=${result.id}\nip=${result.ip}\nport=${result.port}\n`);
