// Self-hosted runners often sit behind a proxy: the bundled action must tunnel through HTTPS_PROXY,
// and still reach loopback directly. The proxy is a real CONNECT proxy on 127.0.0.1 that sends every
// tunnel to the emulator, so a fake hostname with a self-signed certificate stands in for Cloudflare.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, makeSelfSignedCert, startEmulator } from './emulator/index.ts';
import { runStep, tokenInputs } from './harness.ts';
import { startProxy } from './proxy/proxy.ts';

const HOST = 'api.cloudflare.test';
let tlsEmulator: Emulator;
let plainEmulator: Emulator;
let certPath: string;
let proxy: Awaited<ReturnType<typeof startProxy>>;

beforeAll(async () => {
  const cert = makeSelfSignedCert([HOST]);
  certPath = cert.certPath;
  tlsEmulator = await startEmulator({ tls: cert });
  plainEmulator = await startEmulator();
  proxy = await startProxy({ connectTo: { host: '127.0.0.1', port: tlsEmulator.port } });
});
afterAll(async () => {
  await Promise.all([tlsEmulator.close(), plainEmulator.close(), proxy.close()]);
});

describe('proxy', () => {
  it.each(['HTTPS_PROXY', 'https_proxy'])('tunnels through %s to an https api_url', async (variable) => {
    const before = proxy.connects.length;
    const run = await runStep({
      inputs: { ...tokenInputs(tlsEmulator, `via-${variable}`), api_url: `https://${HOST}/client/v4` },
      env: { [variable]: proxy.url, NODE_EXTRA_CA_CERTS: certPath },
    });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    // One tunnel or more (the agent may reuse it), every one to the API host.
    expect(new Set(proxy.connects.slice(before))).toEqual(new Set([`${HOST}:443`]));
    expect(tlsEmulator.peers().map((peer) => peer.name)).toContain(`via-${variable}`);
  });

  it('speaks https directly when no proxy is set', async () => {
    const before = proxy.connects.length;
    const run = await runStep({
      inputs: { ...tokenInputs(tlsEmulator, 'direct-tls'), api_url: `https://127.0.0.1:${tlsEmulator.port}/client/v4` },
      env: { NODE_EXTRA_CA_CERTS: certPath },
    });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(proxy.connects.length).toBe(before);
    expect(tlsEmulator.peers().map((peer) => peer.name)).toContain('direct-tls');
  });

  it('refuses a certificate it cannot verify, without retrying', async () => {
    const run = await runStep({
      inputs: { ...tokenInputs(tlsEmulator, 'untrusted'), api_url: `https://127.0.0.1:${tlsEmulator.port}/client/v4` },
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::Cloudflare GET .* failed: .*(certificate|CERT)/);
    expect(run.stdout).not.toContain('waiting');
  });

  it('reaches loopback directly even when a proxy is set', async () => {
    const before = proxy.connects.length;
    const run = await runStep({
      inputs: tokenInputs(plainEmulator),
      env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url },
    });

    expect(run.code, run.stdout).toBe(0);
    expect(proxy.connects.length).toBe(before);
    expect(plainEmulator.peers()).toHaveLength(1);
  });
});
