// Input validation: every bad input is named, with the expected form and what was given.
import { describe, expect, it } from 'vitest';
import { credentialValues, InputError, readSettings } from '../src/inputs.ts';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const base = { account_id: ACCOUNT, name: 'ns1', api_token: 'cfut_token' };

function settings(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return readSettings((name) => inputs[name] ?? '', env);
}

function problem(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): string {
  try {
    settings(inputs, env);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('readSettings', () => {
  it('applies the defaults of action.yml', () => {
    expect(settings(base)).toEqual({
      accountId: ACCOUNT,
      name: 'ns1',
      peerId: undefined,
      credentials: { scheme: 'token', token: 'cfut_token' },
      desired: {},
      ifExists: 'update',
      state: 'present',
      cleanup: false,
      dryRun: false,
      maxAttempts: 5,
      requestTimeoutMs: 30_000,
      apiUrl: 'https://api.cloudflare.com/client/v4',
    });
  });

  it('parses the optional peer fields', () => {
    const parsed = settings({ ...base, ip: '2001:db8::53', port: '53', ixfr_enable: 'True', tsig_id: 'A'.repeat(32) });
    expect(parsed.desired).toEqual({ ip: '2001:db8::53', port: 53, ixfr_enable: true, tsig_id: 'a'.repeat(32) });
  });

  it.each([
    [{ port: '70000' }, 'Input `port` must be an integer from 1 to 65535; got "70000"'],
    [{ port: '5x' }, 'Input `port` must be an integer from 1 to 65535; got "5x"'],
    [{ port: '0' }, 'Input `port` must be an integer from 1 to 65535; got "0"'],
    [{ ip: '300.1.1.1' }, 'Input `ip` must be an IPv4 or IPv6 address; got "300.1.1.1"'],
    [{ ixfr_enable: 'yes' }, 'Input `ixfr_enable` must be true or false; got "yes"'],
    [{ account_id: 'abc' }, 'Input `account_id` must be a Cloudflare account id (32 hex characters); got "abc"'],
    [{ if_exists: 'replace' }, 'Input `if_exists` must be one of update, reuse, fail; got "replace"'],
    [{ max_attempts: '11' }, 'Input `max_attempts` must be an integer from 1 to 10; got "11"'],
    [{ api_url: 'http://api.example.com/client/v4' }, 'Input `api_url` must use https:// unless the host is loopback'],
    [{ api_url: 'ftp://127.0.0.1/' }, 'Input `api_url` must be an http(s) URL'],
    [{ api_url: 'http://127.evil.example/client/v4' }, 'Input `api_url` must use https:// unless the host is loopback'],
    [{ name: 'ns1\n::warning::x' }, 'Input `name` must not contain control characters'],
    [{ tsig_id: 'xfr-key' }, 'Input `tsig_id` must be a TSIG id (32 hex characters); got "xfr-key"'],
    [{ name: '' }, 'Input `name` is required'],
  ])('rejects %j', (bad, message) => {
    expect(problem({ ...base, ...bad })).toContain(message);
  });

  it('accepts plain http for loopback hosts only', () => {
    expect(settings({ ...base, api_url: 'http://127.0.0.1:8787/client/v4/' }).apiUrl).toBe(
      'http://127.0.0.1:8787/client/v4',
    );
    expect(settings({ ...base, api_url: 'http://[::1]:80/x' }).apiUrl).toBe('http://[::1]:80/x');
  });

  it('reports every bad input at once', () => {
    expect(problem({ ...base, port: '-1', ip: 'x' }).split('\n')).toHaveLength(2);
  });

  it('needs account_id from the input or CLOUDFLARE_ACCOUNT_ID', () => {
    expect(problem({ ...base, account_id: '' })).toContain('Input `account_id` is required');
    expect(settings({ ...base, account_id: '' }, { CLOUDFLARE_ACCOUNT_ID: ACCOUNT }).accountId).toBe(ACCOUNT);
  });

  it('accepts a peer_id in place of a name', () => {
    expect(settings({ ...base, name: '', peer_id: 'b'.repeat(32) }).peerId).toBe('b'.repeat(32));
  });
});

describe('TSIG key inputs', () => {
  const key = { tsig_name: 'transfer.example.com.', tsig_secret: 'c2VjcmV0LWJ5dGVz' };

  it("reads the key, with hmac-sha256 as the default algorithm in Cloudflare's trailing-dot form", () => {
    expect(settings({ ...base, ...key }).tsig).toEqual({
      name: 'transfer.example.com.',
      algo: 'hmac-sha256.',
      secret: 'c2VjcmV0LWJ5dGVz',
    });
    expect(settings(base).tsig).toBeUndefined();
  });

  it.each([
    ['hmac-sha1', 'hmac-sha1.'],
    ['HMAC-SHA224.', 'hmac-sha224.'],
    ['Hmac-Sha384', 'hmac-sha384.'],
    ['hmac-sha512.', 'hmac-sha512.'],
  ])('accepts tsig_algo %s as %s', (given, sent) => {
    expect(settings({ ...base, ...key, tsig_algo: given }).tsig?.algo).toBe(sent);
  });

  it.each(['hmac-md5', 'hmac-md5.sig-alg.reg.int', 'sha256', 'hmac-sha256..'])(
    'refuses tsig_algo %s, listing the accepted names',
    (algo) => {
      expect(problem({ ...base, ...key, tsig_algo: algo })).toContain(
        'Input `tsig_algo` must be one of hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512',
      );
    },
  );

  it('sends the secret in canonical base64: padding added, line breaks dropped', () => {
    expect(settings({ ...base, ...key, tsig_secret: 'c2VjcmV0LWJ5dGVzCg' }).tsig?.secret).toBe('c2VjcmV0LWJ5dGVzCg==');
    expect(settings({ ...base, ...key, tsig_secret: 'c2VjcmV0\nLWJ5dGVz' }).tsig?.secret).toBe('c2VjcmV0LWJ5dGVz');
  });

  it.each(['not base64!', 'c2VjcmV0-_', 'abcde', '===='])(
    'refuses a secret that is not base64, naming tsig_secret and never showing it: %s',
    (secret) => {
      const message = problem({ ...base, ...key, tsig_secret: secret });
      expect(message).toContain('Input `tsig_secret` must be base64, as tsig-keygen prints it');
      expect(message).not.toContain(secret);
      expect(message).not.toContain('got');
    },
  );

  it.each([
    [{ tsig_id: 'a'.repeat(32) }, 'Inputs `tsig_name` and `tsig_id` are both set'],
    [{ tsig_name: '' }, 'Input `tsig_secret` is set without `tsig_name`'],
    [{ tsig_secret: '' }, 'Input `tsig_secret` is required with `tsig_name` for state: present'],
    [{ tsig_name: 'a b.' }, 'Input `tsig_name` must be a domain name such as transfer.example.com.'],
    [{ tsig_name: 'k.\n::warning::x' }, 'Input `tsig_name` must be a domain name'],
  ])('rejects %j', (bad, message) => {
    expect(problem({ ...base, ...key, ...bad })).toContain(message);
  });

  it('needs no secret to remove a key', () => {
    expect(settings({ ...base, tsig_name: 'k.', state: 'absent' }).tsig).toEqual({ name: 'k.', algo: 'hmac-sha256.' });
  });

  it('lists the secret for masking, as given and as sent', () => {
    const inputs: Record<string, string> = { tsig_secret: 'c2VjcmV0LWJ5dGVzCg' };
    expect(credentialValues((name) => inputs[name] ?? '', {})).toEqual(['c2VjcmV0LWJ5dGVzCg', 'c2VjcmV0LWJ5dGVzCg==']);
  });
});

describe('credentials', () => {
  const noCreds = { account_id: ACCOUNT, name: 'ns1' };

  it('rejects two schemes at once without echoing either', () => {
    const message = problem({ ...noCreds, api_token: 'tok-secret', api_email: 'a@b.c', api_key: 'key-secret' });
    expect(message).toContain('use exactly one scheme');
    expect(message).not.toMatch(/tok-secret|key-secret/);
  });

  it('names the missing half of a Global API Key pair', () => {
    expect(problem({ ...noCreds, api_email: 'a@b.c' })).toContain('Input `api_key` is empty');
    expect(problem(noCreds, { CLOUDFLARE_API_KEY: 'k' })).toContain('Environment variable CLOUDFLARE_EMAIL is empty');
  });

  it('explains how to give credentials when there are none', () => {
    expect(problem(noCreds)).toContain('No Cloudflare credentials');
  });

  it('lets inputs win over the environment, and the token over the key in the environment', () => {
    const env = { CLOUDFLARE_API_TOKEN: 'env-token', CLOUDFLARE_EMAIL: 'e@x', CLOUDFLARE_API_KEY: 'env-key' };
    expect(settings({ ...noCreds, api_token: 'input-token' }, env).credentials).toEqual({
      scheme: 'token',
      token: 'input-token',
    });
    expect(settings(noCreds, env).credentials).toEqual({ scheme: 'token', token: 'env-token' });
    expect(settings(noCreds, { CLOUDFLARE_EMAIL: 'e@x', CLOUDFLARE_API_KEY: 'k' }).credentials).toEqual({
      scheme: 'global_key',
      email: 'e@x',
      key: 'k',
    });
  });

  it('lists every credential value for masking, from inputs and environment', () => {
    const inputs: Record<string, string> = { api_token: ' t1 ', api_key: 'k1' };
    const values = credentialValues((name) => inputs[name] ?? '', {
      CLOUDFLARE_API_TOKEN: 't2',
      CLOUDFLARE_EMAIL: 'e',
    });
    expect(values.sort()).toEqual(['e', 'k1', 't1', 't2']);
  });

  describe('verify_peer', () => {
    const zones = { ...base, zones: 'example.com', zone_role: 'secondary' };
    it('is auto by default, and takes true or false in any case', () => {
      expect(settings(zones).zones?.verifyPeer).toBe('auto');
      expect(settings({ ...zones, verify_peer: 'FALSE' }).zones?.verifyPeer).toBe('false');
      expect(settings({ ...zones, verify_peer: 'True' }).zones?.verifyPeer).toBe('true');
    });

    it('anything else is an input error naming the choices', () => {
      expect(problem({ ...zones, verify_peer: 'yes' })).toBe(
        'Input `verify_peer` must be one of auto, true, false; got "yes"',
      );
    });
  });
});
