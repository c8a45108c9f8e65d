// Preload for every child process a test starts (`node --import <this file>`): refuses, and reports on stderr,
// any TCP or UDP connection to an address that is not loopback, so no test can reach beyond this machine by
// mistake. Host names other than localhost are refused before they are looked up (no resolver is asked);
// Unix sockets pass.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

export const MARK = '[loopback-only]';

/** 127.0.0.0/8, ::1 (also IPv4-mapped), and the name localhost. */
export function isLoopback(host) {
  const name = String(host)
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  if (name === 'localhost' || name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  const v4 = name.replace(/^::ffff:/, '');
  return net.isIPv4(v4) && v4.startsWith('127.');
}

function refusal(protocol, host, port) {
  const where = `${host}:${port}`;
  process.stderr.write(`${MARK} refused a ${protocol} connection to ${where}: tests may only reach loopback\n`);
  const error = new Error(`${MARK} ${protocol} connection to ${where} refused: tests may only reach loopback`);
  error.code = 'ELOOPBACKONLY';
  return error;
}

// net.connect, tls.connect, http(s), fetch (undici) all end in Socket.prototype.connect.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  // Node's own callers pass [normalizedArgs]; users pass (options[, cb]), (port[, host][, cb]) or (path[, cb]).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  let host;
  let port;
  if (first !== null && typeof first === 'object') {
    if (first.path === undefined) [host, port] = [first.host ?? 'localhost', first.port];
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    [host, port] = [typeof args[1] === 'string' ? args[1] : 'localhost', first];
  }
  if (host !== undefined && !isLoopback(host)) {
    const error = refusal('TCP', host, port);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};

/** The address a dgram send/connect names (the string after the port), or localhost, its default, if none. */
function udpTarget(args, from) {
  const at = args.findIndex((arg, index) => index >= from && typeof arg === 'string');
  if (at === -1) return { host: 'localhost', port: args.findLast((arg) => typeof arg === 'number') };
  return { host: args[at], port: args[at - 1] };
}

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(...args) {
  const { host, port } = udpTarget(args, 1);
  if (!isLoopback(host)) {
    const error = refusal('UDP', host, port);
    const callback = args.findLast((arg) => typeof arg === 'function');
    process.nextTick(() => (callback ? callback(error) : this.emit('error', error)));
    return;
  }
  return send.apply(this, args);
};

const udpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(...args) {
  const { host, port } = udpTarget(args, 0);
  if (!isLoopback(host)) {
    const error = refusal('UDP', host, port);
    process.nextTick(() => this.emit('error', error));
    return;
  }
  return udpConnect.apply(this, args);
};

// Name resolution leaves the machine too (the system resolver, c-ares): only localhost and loopback literals
// are looked up, and a resolver may only ask loopback servers.
const QUERIES = ['resolve', 'resolveAny', 'resolve4', 'resolve6', 'resolveCaa', 'resolveCname', 'resolveMx'];
QUERIES.push('resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTlsa', 'resolveTxt');
QUERIES.push('reverse');

function refuseName(name, callback, promised) {
  const error = refusal('DNS', name, 53);
  if (promised) return Promise.reject(error);
  process.nextTick(() => callback(error));
}

function guardLookup(target, promised) {
  const lookup = target.lookup;
  target.lookup = function guardedLookup(hostname, ...rest) {
    if (isLoopback(hostname)) return lookup.call(this, hostname, ...rest);
    return refuseName(
      hostname,
      rest.findLast((arg) => typeof arg === 'function'),
      promised,
    );
  };
}

function guardQueries(target, promised, servers) {
  for (const name of QUERIES) {
    const query = target[name];
    if (typeof query !== 'function') continue;
    target[name] = function guardedQuery(hostname, ...rest) {
      const remote = servers(this).find((server) => !isLoopback(server.replace(/:\d+$/, '')));
      if (remote === undefined) return query.call(this, hostname, ...rest);
      return refuseName(
        `${hostname} via ${remote}`,
        rest.findLast((arg) => typeof arg === 'function'),
        promised,
      );
    };
  }
}

guardLookup(dns, false);
guardLookup(dns.promises, true);
guardQueries(dns, false, () => dns.getServers());
guardQueries(dns.promises, true, () => dns.getServers());
guardQueries(dns.Resolver.prototype, false, (resolver) => resolver.getServers());
guardQueries(dns.promises.Resolver.prototype, true, (resolver) => resolver.getServers());
// `import { lookup } from 'node:dns'` binds when first imported: make those bindings the guarded ones too.
syncBuiltinESMExports();
