// Unit tests of the workflow checks: they must find problems, not just pass.
import { describe, expect, it } from 'vitest';
import { actionlint, checkActionUsage, format, repositoryName, thisActionMatcher } from './workflow-lint.ts';

const workflow = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: peer
        uses: octo/peer-action@v1
        with:
          name: ns1
          nmae: typo
      - run: echo "$X"
        env:
          X: \${{ steps.peer.outputs.peer_id }} \${{ steps.peer.outputs.peerid }} \${{ steps.other.outputs.y }}
      - uses: someone/else@v1
        with:
          anything: 1
`;

describe('checkActionUsage', () => {
  const iface = { inputs: ['name'], outputs: ['peer_id'] };
  const problems = checkActionUsage(workflow, iface, thisActionMatcher('octo/peer-action'));

  it('reports unknown inputs and outputs of this action, with their line', () => {
    expect(problems.map((problem) => format('w.yml', problem))).toEqual([
      expect.stringMatching(/^w\.yml:11:11: input "nmae" is not defined in action\.yml .*\[action-input\]$/),
      expect.stringMatching(/^w\.yml:14:\d+: output "peerid" is not defined in action\.yml .*\[action-output\]$/),
    ]);
  });

  it('reports YAML syntax errors', () => {
    expect(checkActionUsage('jobs:\n  a: b: c\n', iface, () => true)[0]?.kind).toBe('yaml');
  });
});

describe('thisActionMatcher', () => {
  const matches = thisActionMatcher('dnsops/cloudflare-secondary-dns-peer-action');
  it('matches ./ and this repository at any ref', () => {
    expect(matches('./')).toBe(true);
    expect(matches('dnsops/cloudflare-secondary-dns-peer-action@v1')).toBe(true);
    expect(matches(`fork/cloudflare-secondary-dns-peer-action@${'a'.repeat(40)}`)).toBe(true);
    expect(matches('actions/checkout@v4')).toBe(false);
    expect(matches('./other')).toBe(false);
  });
});

describe('repositoryName', () => {
  it('reads the forms package.json allows', () => {
    expect(repositoryName({ type: 'git', url: 'git+https://github.com/dnsops/peer.git' })).toBe('dnsops/peer');
    expect(repositoryName('github:dnsops/peer')).toBe('dnsops/peer');
    expect(repositoryName('dnsops/peer')).toBe('dnsops/peer');
    expect(repositoryName(undefined)).toBeUndefined();
  });
});

describe('actionlint (WebAssembly)', () => {
  it('finds real problems', async () => {
    const problems = await actionlint(
      `on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "\${{ github.event.issue.title }}"\n`,
      'x.yml',
    );
    expect(problems.map((problem) => problem.kind)).toEqual(expect.arrayContaining(['events', 'expression']));
  });

  it('knows vars, number inputs and current runner labels', async () => {
    const text = `on:
  workflow_dispatch:
    inputs:
      port:
        type: number
        default: 53
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "$A $P"
        env:
          A: \${{ vars.CLOUDFLARE_ACCOUNT_ID }}
          P: \${{ inputs.port }}
`;
    expect(await actionlint(text, 'x.yml')).toEqual([]);
  });
});
