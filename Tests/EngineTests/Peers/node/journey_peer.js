#!/usr/bin/env node
// journey_peer.js: an independent implementation of the journey-tracking contract
// (/work/shared/CONTRACT.md) in the stack the review seeds describe: Express 4 and node-redis 4,
// as Debian packages them (node-express, node-redis). Written from the contract and the seeds,
// not from the auditor's reference. `--bug NAME` turns it into one of the wrong implementations
// the seeds review; `--variant NAME` takes the other side of a choice the contract leaves open.
// See README.md next to this file.
//
//   node journey_peer.js --port 0 --redis redis://[user:password@]127.0.0.1:6379 \
//       [--eventbridge-endpoint http://127.0.0.1:4010] [--store-timeout-ms 1000] [--lazy-redis] \
//       [--bug NAME]... [--variant NAME]... [--host 127.0.0.1] [--verbose]
//
// Prints one JSON line on stdout once it listens; logs go to stderr (never a token, the Redis
// password masked).
'use strict';

const EX_USAGE = 64;
const EX_FAILURE = 2;

// ------------------------------------------------------------------ modules (Debian's layout)
//
// Debian installs node-express and node-redis under /usr/share/nodejs, which Debian's own nodejs
// searches by default. A node from elsewhere (nodesource's, say) does not: the directories are
// added to NODE_PATH and the global paths are recomputed before anything is required, so that
// express's own dependencies (body-parser, …, siblings under /usr/share/nodejs) resolve too.
const Module = require('module');
const path = require('path');

const DEBIAN_MODULE_DIRS = ['/usr/share/nodejs', '/usr/lib/nodejs',
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/nodejs`];
(function addDebianModuleDirs() {
  const current = (process.env.NODE_PATH || '').split(path.delimiter).filter(Boolean);
  const missing = DEBIAN_MODULE_DIRS.filter((d) => !current.includes(d));
  if (missing.length === 0) return;
  process.env.NODE_PATH = current.concat(missing).join(path.delimiter);
  if (typeof Module._initPaths === 'function') Module._initPaths();
})();

// The modules this peer needs, the Debian package that ships each, and the versions it was written for.
const NEEDS = [
  { module: 'express', pkg: 'node-express', major: 4 },
  { module: 'redis', pkg: 'node-redis', major: 4 },
  { module: '@redis/client', pkg: 'node-redis', major: 1 },
];

function loadModules() {
  const loaded = {};
  const versions = { node: process.versions.node };
  for (const need of NEEDS) {
    let version;
    try {
      loaded[need.module] = require(need.module);
      version = require(`${need.module}/package.json`).version;
    } catch (e) {
      if (e && e.code === 'MODULE_NOT_FOUND') {
        fatal(EX_FAILURE, `the Node module '${need.module}' is missing (searched NODE_PATH=${process.env.NODE_PATH}): ` +
          `install the Debian package: apt-get install -y ${need.pkg}`);
      }
      fatal(EX_FAILURE, `the Node module '${need.module}' failed to load: ${e && e.message}`);
    }
    const major = Number(String(version).split('.')[0]);
    if (major !== need.major) {
      fatal(EX_FAILURE, `'${need.module}' ${version} found, this peer needs major version ${need.major} ` +
        `(Debian package ${need.pkg}, bookworm)`);
    }
    versions[need.module] = version;
  }
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 18) fatal(EX_FAILURE, `node ${process.versions.node}: this peer needs node 18 or later`);
  return { express: loaded.express, redis: loaded.redis, versions };
}

function fatal(code, message) {
  process.stderr.write(`journey_peer: ${message}\n`);
  process.exit(code);
}

const crypto = require('crypto');
const http = require('http');

// ------------------------------------------------------------------ the contract's numbers

const JOURNEY_TTL = 3600;
const LOCATION_TTL = 300;
const RATE_TTL = 5;
const RATE_WINDOW_MS = 5000;
const ENDED_TTL = 300;
const META_TTL = 3600;
const DB_TTL = 86400;
const MAX_SPEED_KMH = 120;
const ARRIVAL_RADIUS_M = 150;
const PUBLISH_TIMEOUT_MS = 2000;
const MAX_FIXTURES = 50000;
const DEFAULT_HOME = { latitude: 12.9716, longitude: 77.5946 };
const LOCATION_CHANNEL = 'peer:trainer-location'; // bug ws-subscribe-push: read by chat_peer.py

const BUGS = {
  'check-then-set': 'start does EXISTS, then SETEX: concurrent starts can both win (seed 002 Blocker #2, seed 000 "Before")',
  'evb-throws': 'the PutEvents call is awaited and its failure answers 500 (seed 002 Issue #2, seed 000 "Before")',
  'no-410': 'no journey:ended marker and no check: an update after stop/arrived answers 404 (seed 001 Issue #2, seed 002 Issue #1)',
  'fail-open-409': 'a store error or timeout during start answers 409 instead of 503 (seed 001 Blocker #2)',
  'no-rate-limit': 'no location:rate key, no 429 (seed 003 Issue #3)',
  'no-speed-check': 'no implied-speed check (seed 003 Security Issue #1)',
  'speed-limit-150': 'the implied-speed limit is 150 km/h, not 120 (seed 003 Security Issue #1 with a wrong constant)',
  'arrival-radius-200': 'arrival is accepted up to 200 m from studentHome, not 150 (seed 003 API #4 with a wrong constant)',
  'retry-after-60': '429 says Retry-After: 60 although the window is 5 s (seed 003 rate limiting, a wrong header)',
  'student-can-stop': "stop-journey is also allowed to the session's own student (seed 001 ownership: only the trainer)",
  'ended-no-ttl': 'journey:ended is written without its 300 s TTL (seed 001 Issue #2: "within last 5 minutes")',
  'leaky-live': 'live polling answers any authenticated user (seed 003 Security Issue #3, seed 001 leakage)',
  'no-session-cache': 'start writes no session:meta; polling always reads the database (seed 001 Issue #1, seed 002 Issue #3)',
  'journey-no-ttl': 'journey:active is written without its 3600 s TTL (seed 003 §5: TTL 1 hour)',
  'ws-subscribe-push': `every accepted update is published on the Redis channel ${LOCATION_CHANNEL}, for chat_peer.py's subscribeToTrainerLocation push (seed 001 Blocker #1)`,
};

const VARIANTS = {
  'setnx-expire': 'the journey key is claimed with SETNX, then given its TTL with EXPIRE (seed 002 Blocker #2 fix)',
  'location-hash': 'the location is a hash (lat, lng, ts, acc, spd, hdg) written with its EXPIRE in one MULTI (seed 003 §8 optimization)',
  'retry-after-date': 'Retry-After is an HTTP-date (RFC 9110 §10.2.3), not delay-seconds',
  'rate-before-speed': 'the rate key is written right after the rate check, before the speed check, so an update refused for speed uses the window (seed 003 Issue #3 fix)',
  'expired-404': 'a late update after the journey expired by TTL (no journey:ended marker) answers 404, not 410',
};

// ------------------------------------------------------------------ command line

const HELP = `usage: journey_peer.js --redis URL [--port N] [--host H] [--eventbridge-endpoint URL]
                       [--store-timeout-ms N] [--lazy-redis] [--bug NAME]... [--variant NAME]... [--verbose]

  --port N                 listen port (default 8080; 0 = a free port the kernel picks)
  --host H                 listen address (default 127.0.0.1)
  --redis URL              redis://[user:password@]host:port[/db]
  --eventbridge-endpoint U PutEvents goes here over plain http; without it events are skipped
  --store-timeout-ms N     bound of every Redis command (default 1000)
  --lazy-redis             start even when Redis cannot be reached yet (it is reached later)
  --bug NAME               reproduce a defect the seeds describe (repeatable)
  --variant NAME           take the other side of an open choice of the contract (repeatable)
  --verbose                one log line per request

exit codes: 0 after SIGTERM/SIGINT, 2 a missing module or Redis unreachable at start, 64 bad options

bugs:
${Object.entries(BUGS).map(([n, w]) => `  ${n}: ${w}`).join('\n')}
variants:
${Object.entries(VARIANTS).map(([n, w]) => `  ${n}: ${w}`).join('\n')}
`;

function usage(message) {
  process.stderr.write(`journey_peer: ${message}\n`);
  process.stderr.write('run with --help for the options\n');
  process.exit(EX_USAGE);
}

function parseArgs(argv) {
  const a = { port: 8080, host: '127.0.0.1', redis: null, eventbridge: null, storeTimeoutMs: 1000,
    lazyRedis: false, bugs: [], variants: [], verbose: false };
  const valued = new Set(['--port', '--host', '--redis', '--eventbridge-endpoint', '--store-timeout-ms', '--bug', '--variant']);
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    if (valued.has(arg) && value === undefined) {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      value = argv[++i];
    }
    switch (arg) {
      case '--help': case '-h': process.stdout.write(HELP); process.exit(0); break;
      case '--port': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 65535) usage(`--port must be in 0..65535, not '${value}'`);
        a.port = n; break;
      }
      case '--host': a.host = value; break;
      case '--redis':
        if (!/^rediss?:\/\//.test(value)) usage('--redis must be a redis:// or rediss:// URL');
        a.redis = value; break;
      case '--eventbridge-endpoint':
        if (!/^http:\/\//.test(value)) usage('--eventbridge-endpoint must be an http:// URL');
        a.eventbridge = value; break;
      case '--store-timeout-ms': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 60000) usage(`--store-timeout-ms must be a whole number within 1..60000, not '${value}'`);
        a.storeTimeoutMs = n; break;
      }
      case '--lazy-redis': a.lazyRedis = true; break;
      case '--verbose': a.verbose = true; break;
      case '--bug':
        if (!Object.hasOwn(BUGS, value)) usage(`unknown bug '${value}'; valid: ${Object.keys(BUGS).join(', ')}`);
        if (!a.bugs.includes(value)) a.bugs.push(value);
        break;
      case '--variant':
        if (!Object.hasOwn(VARIANTS, value)) usage(`unknown variant '${value}'; valid: ${Object.keys(VARIANTS).join(', ')}`);
        if (!a.variants.includes(value)) a.variants.push(value);
        break;
      default: usage(`unknown option '${argv[i]}'`);
    }
  }
  if (!a.redis) usage('--redis URL is required');
  return a;
}

// ------------------------------------------------------------------ helpers

class ApiError extends Error {
  constructor(status, message, headers) { super(message); this.status = status; this.headers = headers || {}; }
}
class StoreUnavailable extends Error {}
class PublishFailed extends Error {}

const nowIso = (ms) => new Date(ms === undefined ? Date.now() : ms).toISOString();
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

function haversineMeters(lat1, lon1, lat2, lon2) {
  const r = 6371000;
  const rad = (d) => (d * Math.PI) / 180;
  const dp = rad(lat2 - lat1);
  const dl = rad(lon2 - lon1);
  const h = Math.sin(dp / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dl / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

function maskUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch (e) {
    return '<unparseable URL>';
  }
}

const K = {
  journey: (sid) => `journey:active:${sid}`,
  location: (tid, sid) => `location:trainer:${tid}:session:${sid}`,
  rate: (tid) => `location:rate:${tid}`,
  ended: (sid) => `journey:ended:${sid}`,
  meta: (sid) => `session:meta:${sid}`,
  // the "database", in Redis too so that every instance sees the same one
  dbSession: (sid) => `peerdb:session:${sid}`,
  dbToken: (token) => `peerdb:token:${crypto.createHash('sha256').update(token).digest('hex')}`,
  dbStarted: (sid) => `peerdb:journey-started:${sid}`, // a journey was once active: expiry answers 410
};

let verbose = false;
function log(level, message) {
  if (level === 'debug' && !verbose) return;
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} journey_peer[${process.pid}]: ${message}\n`);
}

// ------------------------------------------------------------------ store

// Every Redis command goes through run(): it is bounded by the store timeout, and any error or
// timeout becomes StoreUnavailable (503). node-redis keeps one multiplexed connection per client
// and reconnects by itself; commands issued while it is (re)connecting wait in its offline queue.
// A command that timed out may leave the connection wedged (a proxy that swallows bytes never
// answers it, and every later reply would queue behind it) or sit in the offline queue, to be
// sent long after its request answered 503: so the client that timed out is replaced by a fresh
// one, and closed, which rejects everything still queued on it.
//
// node-redis 4's own per-command AbortSignal (commandOptions({signal})) is not used: in
// @redis/client 1.4 an abort that comes after the command was written unlinks a node that is no
// longer in the send queue, corrupting that queue's length, so a later disconnect() throws
// half-way and leaves the socket open; a late reply on it then crashes the process
// ("Got an unexpected reply from Redis").
class Store {
  constructor(redisLib, url, timeoutMs) {
    this.lib = redisLib;
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.generation = 0;
    this.lastErrorLog = 0;
    this.client = this.newClient();
  }

  newClient() {
    const generation = ++this.generation;
    const client = this.lib.createClient({
      url: this.url,
      socket: {
        connectTimeout: this.timeoutMs,
        // reconnect soon: the fault proxy comes and goes during an audit
        reconnectStrategy: (retries) => Math.min(20 * (retries + 1), 200),
      },
    });
    client.on('error', (e) => {
      const now = Date.now();
      if (now - this.lastErrorLog > 5000) {
        this.lastErrorLog = now;
        log('warn', `redis (client ${generation}): ${e && e.message ? e.message : e} (repeats muted for 5 s)`);
      }
    });
    client.on('ready', () => log('info', `redis ready (client ${generation}, ${maskUrl(this.url)})`));
    client.connect().catch(() => { /* reported by the error listener; reconnects on its own */ });
    return client;
  }

  retire(client) {
    if (this.client !== client) return; // already replaced
    this.client = this.newClient();
    try {
      client.disconnect().catch(() => {});
    } catch (e) { /* already closed */ }
  }

  // fn(client) returns the command's promise.
  async run(what, fn, timeoutMs) {
    const bound = timeoutMs || this.timeoutMs;
    const client = this.client;
    let timer;
    const expired = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailable(`${what}: no answer within ${bound} ms`)), bound);
    });
    try {
      return await Promise.race([fn(client), expired]);
    } catch (e) {
      if (e instanceof StoreUnavailable) {
        this.retire(client);
        throw e;
      }
      throw new StoreUnavailable(`${what}: ${e && e.name ? e.name : 'Error'}: ${e && e.message ? e.message : e}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async getJson(key) {
    const raw = await this.run(`GET ${key}`, (c) => c.get(key));
    if (!raw) return null;
    try { return JSON.parse(raw); } catch (e) { return null; }
  }

  async ready(withinMs) {
    const until = Date.now() + withinMs;
    for (;;) {
      try {
        return await this.run('PING', (c) => c.ping());
      } catch (e) {
        if (Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

// ------------------------------------------------------------------ EventBridge (plain HTTP, no SDK)

class Events {
  constructor(endpoint) {
    this.endpoint = endpoint ? new URL(endpoint) : null;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  }

  // One PutEvents call, bounded by PUBLISH_TIMEOUT_MS as a whole; rejects with PublishFailed.
  put(detailType, detail) {
    if (!this.endpoint) {
      log('info', `no --eventbridge-endpoint: ${detailType} for session ${detail.sessionId} not published`);
      return Promise.resolve();
    }
    const body = JSON.stringify({ Entries: [{ Source: 'admin-service', DetailType: detailType,
      Detail: JSON.stringify(detail), EventBusName: 'application-events' }] });
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (err) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) reject(err); else resolve();
      };
      const req = http.request({
        host: this.endpoint.hostname, port: this.endpoint.port || 80, path: this.endpoint.pathname || '/',
        method: 'POST', agent: this.agent,
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSEvents.PutEvents',
          'Content-Length': Buffer.byteLength(body) },
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => { if (chunks.length < 64) chunks.push(c); });
        res.on('error', (e) => finish(new PublishFailed(`${detailType}: ${e.message}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try { json = JSON.parse(text); } catch (e) { /* judged below */ }
          if (res.statusCode >= 300) {
            const type = json && (json.__type || json.code);
            return finish(new PublishFailed(`${detailType}: HTTP ${res.statusCode}${type ? ` ${type}` : ''}`));
          }
          if (!json) return finish(new PublishFailed(`${detailType}: an answer that is not JSON`));
          if (json.FailedEntryCount > 0) {
            const codes = (json.Entries || []).map((e) => e && e.ErrorCode).filter(Boolean);
            return finish(new PublishFailed(`${detailType}: FailedEntryCount=${json.FailedEntryCount} ${codes.join(',')}`));
          }
          log('debug', `published ${detailType} for session ${detail.sessionId}`);
          finish();
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish(new PublishFailed(`${detailType}: no answer within ${PUBLISH_TIMEOUT_MS} ms`));
      }, PUBLISH_TIMEOUT_MS);
      req.on('error', (e) => finish(new PublishFailed(`${detailType}: ${e.code || e.message}`)));
      req.end(body);
    });
  }

  // Best effort: started after the state write, never awaited by the request, failures logged.
  fireAndForget(detailType, detail) {
    this.put(detailType, detail).catch((e) => log('warn', `EventBridge publish failed (best-effort, ignored): ${e.message}`));
  }
}

// ------------------------------------------------------------------ the service

function buildApp({ express }, store, events, bugs, variants) {
  const bug = (name) => bugs.includes(name);
  const variant = (name) => variants.includes(name);
  const speedLimit = bug('speed-limit-150') ? 150 : MAX_SPEED_KMH;
  const arrivalRadius = bug('arrival-radius-200') ? 200 : ARRIVAL_RADIUS_M;

  const app = express(); // Express's defaults stay: X-Powered-By, ETag, keep-alive
  const json = express.json({ limit: '100kb', type: () => true }); // every body is JSON, whatever its Content-Type

  const wrap = (handler) => (req, res, next) => Promise.resolve(handler(req, res)).catch(next);
  const ok = (res, status, message, data) => res.status(status).json({ success: true, message, data });

  async function publish(detailType, detail) {
    if (bug('evb-throws')) {
      try {
        await events.put(detailType, detail);
      } catch (e) {
        log('error', `EventBridge publish failed, failing the request (bug evb-throws): ${e.message}`);
        throw new ApiError(500, `Failed to publish event: ${detailType}`);
      }
    } else {
      events.fireAndForget(detailType, detail);
    }
  }

  async function authenticate(req) {
    const header = req.get('authorization') || '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new ApiError(401, 'Authentication required');
    const uid = await store.run('GET token', (c) => c.get(K.dbToken(m[1])));
    if (!uid) throw new ApiError(401, 'Invalid or expired token');
    return uid;
  }

  const sessionFromDb = (sid) => store.getJson(K.dbSession(sid));

  async function sessionCached(sid) {
    if (!bug('no-session-cache')) {
      const meta = await store.getJson(K.meta(sid));
      if (meta) return meta;
    }
    return sessionFromDb(sid);
  }

  function sessionIdParam(req) {
    const sid = req.params.sessionId;
    if (!sid) throw new ApiError(400, 'sessionId is required');
    return sid;
  }

  // -- location values: a JSON string, or a hash under the location-hash variant
  async function readLocation(tid, sid) {
    const key = K.location(tid, sid);
    if (variant('location-hash')) {
      const h = await store.run(`HGETALL ${key}`, (c) => c.hGetAll(key));
      if (!h || h.lat === undefined || h.lng === undefined) return null;
      const loc = { latitude: Number(h.lat), longitude: Number(h.lng), timestamp: nowIso(Number(h.ts)), timestampMs: Number(h.ts) };
      if (h.acc !== undefined) loc.accuracy = Number(h.acc);
      if (h.spd !== undefined) loc.speed = Number(h.spd);
      if (h.hdg !== undefined) loc.heading = Number(h.hdg);
      return loc;
    }
    return store.getJson(key);
  }

  function writeLocation(tid, sid, point) {
    const key = K.location(tid, sid);
    return store.run(`write ${key}`, (c) => {
      const m = c.multi();
      if (variant('location-hash')) {
        const h = { lat: String(point.latitude), lng: String(point.longitude), ts: String(point.timestampMs) };
        if (point.accuracy !== undefined) h.acc = String(point.accuracy);
        if (point.speed !== undefined) h.spd = String(point.speed);
        if (point.heading !== undefined) h.hdg = String(point.heading);
        m.del(key).hSet(key, h).expire(key, LOCATION_TTL);
      } else {
        m.set(key, JSON.stringify(point), { EX: LOCATION_TTL });
      }
      return m.exec();
    });
  }

  function publicLocation(loc) {
    if (!loc) return null;
    const out = { latitude: loc.latitude, longitude: loc.longitude };
    for (const f of ['accuracy', 'speed', 'heading']) if (isNumber(loc[f])) out[f] = loc[f];
    out.timestamp = loc.timestamp;
    return out;
  }

  function retryAfter(lastMs, now) {
    if (bug('retry-after-60')) return '60';
    const waitMs = Math.max(1, RATE_WINDOW_MS - (now - lastMs));
    if (variant('retry-after-date')) {
      // an HTTP-date has whole seconds: round up, so the client never comes back too early
      return new Date(Math.ceil((now + waitMs) / 1000) * 1000).toUTCString();
    }
    return String(Math.max(1, Math.ceil(waitMs / 1000)));
  }

  // -- 1. start journey
  app.post('/api/v1/admin/sessions/:sessionId/start-journey', wrap(async (req, res) => {
    try {
      await startJourney(req, res);
    } catch (e) {
      if (e instanceof StoreUnavailable && bug('fail-open-409')) {
        log('warn', `store error during start treated as "already started" (bug fail-open-409): ${e.message}`);
        throw new ApiError(409, 'Journey already started for this session');
      }
      throw e;
    }
  }));

  async function startJourney(req, res) {
    const uid = await authenticate(req);
    const sid = sessionIdParam(req);
    const session = await sessionFromDb(sid);
    if (!session) throw new ApiError(404, 'Session not found');
    if (session.trainerId !== uid) throw new ApiError(403, 'Trainer does not own this session');
    if (session.status !== 'scheduled') throw new ApiError(400, `Session is not scheduled (status: ${session.status})`);
    const startedMs = Date.now();
    const journey = { sessionId: sid, trainerId: session.trainerId, studentId: session.studentId,
      startedAt: nowIso(startedMs), status: 'in_progress' };
    const key = K.journey(sid);
    const value = JSON.stringify(journey);
    const ttl = bug('journey-no-ttl') ? {} : { EX: JOURNEY_TTL };
    if (bug('check-then-set')) {
      const exists = await store.run(`EXISTS ${key}`, (c) => c.exists(key));
      if (exists) throw new ApiError(409, 'Journey already started for this session');
      await store.run(`SET ${key}`, (c) => c.set(key, value, ttl));
    } else if (variant('setnx-expire')) {
      const won = await store.run(`SETNX ${key}`, (c) => c.setNX(key, value));
      if (!won) throw new ApiError(409, 'Journey already started for this session');
      if (!bug('journey-no-ttl')) await store.run(`EXPIRE ${key}`, (c) => c.expire(key, JOURNEY_TTL));
    } else {
      const reply = await store.run(`SET NX ${key}`, (c) => c.set(key, value, { ...ttl, NX: true }));
      if (reply !== 'OK') throw new ApiError(409, 'Journey already started for this session');
    }
    // The journey is on. What follows is bookkeeping: a failure is logged, the answer stays 201.
    try {
      await store.run('start bookkeeping', (c) => {
        const m = c.multi();
        m.set(K.dbStarted(sid), journey.startedAt, { EX: DB_TTL });
        if (!bug('no-session-cache')) {
          m.set(K.meta(sid), JSON.stringify({ trainerId: session.trainerId, studentId: session.studentId,
            status: session.status, studentHomeLocation: session.studentHomeLocation }), { EX: META_TTL });
        }
        return m.exec();
      });
    } catch (e) {
      log('warn', `session:meta / journey record write after start failed (ignored): ${e.message}`);
    }
    await publish('TrainerJourneyStarted', { trainerId: journey.trainerId, studentId: journey.studentId,
      sessionId: sid, startTime: journey.startedAt });
    ok(res, 201, 'Journey started', { sessionId: sid, trainerId: journey.trainerId, studentId: journey.studentId,
      startedAt: journey.startedAt });
  }

  // -- 2. location update
  function validUpdate(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
    if (typeof body.sessionId !== 'string' || body.sessionId.trim() === '') return 'sessionId must be a non-empty string';
    if (!isNumber(body.latitude) || body.latitude < -90 || body.latitude > 90) return 'latitude must be a number within -90..90';
    if (!isNumber(body.longitude) || body.longitude < -180 || body.longitude > 180) return 'longitude must be a number within -180..180';
    for (const f of ['accuracy', 'speed', 'heading']) {
      if (body[f] !== undefined && body[f] !== null && !isNumber(body[f])) return `${f} must be a number when given`;
    }
    return null;
  }

  app.post('/api/v1/admin/location-tracking/journey/updates', json, wrap(async (req, res) => {
    const uid = await authenticate(req);
    const problem = validUpdate(req.body);
    if (problem) throw new ApiError(400, `Invalid location update: ${problem}`);
    const body = req.body;
    const sid = body.sessionId;

    const journey = await store.getJson(K.journey(sid));
    if (!journey) throw await inactiveJourney(sid);
    if (journey.trainerId !== uid) throw new ApiError(403, 'Trainer does not own this journey');
    const tid = journey.trainerId;
    const now = Date.now();

    const rateLimited = !bug('no-rate-limit');
    if (rateLimited) {
      const last = await store.run(`GET ${K.rate(tid)}`, (c) => c.get(K.rate(tid)));
      const lastMs = Number(last);
      if (last && Number.isFinite(lastMs) && now - lastMs < RATE_WINDOW_MS) {
        throw new ApiError(429, 'Location update too frequent', { 'Retry-After': retryAfter(lastMs, now) });
      }
      if (variant('rate-before-speed')) await claimRateWindow(tid, now);
    }

    if (!bug('no-speed-check')) {
      const prev = await readLocation(tid, sid);
      if (prev && isNumber(prev.latitude) && isNumber(prev.longitude) && isNumber(prev.timestampMs)) {
        const seconds = (now - prev.timestampMs) / 1000;
        if (seconds > 0) {
          const kmh = (haversineMeters(prev.latitude, prev.longitude, body.latitude, body.longitude) / seconds) * 3.6;
          if (kmh > speedLimit) {
            throw new ApiError(400, `Suspicious location update (implied speed ${Math.round(kmh)} km/h, limit ${speedLimit} km/h)`);
          }
        }
      }
    }

    const point = { latitude: body.latitude, longitude: body.longitude };
    for (const f of ['accuracy', 'speed', 'heading']) if (isNumber(body[f])) point[f] = body[f];
    Object.assign(point, { timestamp: nowIso(now), timestampMs: now, sessionId: sid, trainerId: tid });
    if (rateLimited && !variant('rate-before-speed')) await claimRateWindow(tid, now);
    await writeLocation(tid, sid, point);
    if (bug('ws-subscribe-push')) {
      const message = JSON.stringify({ trainerId: tid, sessionId: sid, ...publicLocation(point) });
      store.run('PUBLISH', (c) => c.publish(LOCATION_CHANNEL, message))
        .catch((e) => log('warn', `location publish failed: ${e.message}`));
    }
    ok(res, 201, 'Location updated', { sessionId: sid, timestamp: point.timestamp, ttl: LOCATION_TTL });
  }));

  // The trainer's 5 s window, claimed atomically (SET NX EX 5): of two updates that both passed
  // the check above at the same moment, one gets the window and the other a 429. By default the
  // claim comes after the speed check, so an update refused for speed leaves the window free;
  // under rate-before-speed it comes right after the check (seed 003's fix).
  async function claimRateWindow(tid, now) {
    const claimed = await store.run(`SET NX ${K.rate(tid)}`, (c) => c.set(K.rate(tid), String(now), { NX: true, EX: RATE_TTL }));
    if (claimed === 'OK') return;
    const last = Number(await store.run(`GET ${K.rate(tid)}`, (c) => c.get(K.rate(tid))));
    throw new ApiError(429, 'Location update too frequent', { 'Retry-After': retryAfter(Number.isFinite(last) && last > 0 ? last : now, now) });
  }

  // No active journey: 410 when it has ended (marker), 404 when none was ever active. A journey
  // that expired by TTL left no marker: 410 by default (the database remembers it was started),
  // 404 under the expired-404 variant.
  async function inactiveJourney(sid) {
    if (bug('no-410')) return new ApiError(404, 'Journey not active for this session');
    const ended = await store.run(`GET ${K.ended(sid)}`, (c) => c.get(K.ended(sid)));
    if (ended) return new ApiError(410, 'Journey has ended');
    if (!variant('expired-404')) {
      const started = await store.run(`GET ${K.dbStarted(sid)}`, (c) => c.get(K.dbStarted(sid)));
      if (started) {
        // It expired: record the end once, and say so like any other end.
        const marker = bug('ended-no-ttl') ? { NX: true } : { NX: true, EX: ENDED_TTL };
        const first = await store.run(`SET NX ${K.ended(sid)}`, (c) => c.set(K.ended(sid), 'timeout', marker));
        if (first === 'OK') {
          const s = await sessionFromDb(sid);
          if (s) {
            await publish('TrainerJourneyEnded', { trainerId: s.trainerId, studentId: s.studentId, sessionId: sid,
              endTime: nowIso(), reason: 'timeout' });
          }
        }
        return new ApiError(410, 'Journey has ended');
      }
    }
    return new ApiError(404, 'Journey not active for this session');
  }

  // -- 3. live location (student polling)
  app.get('/api/v1/admin/location-tracking/journey/live', wrap(async (req, res) => {
    const uid = await authenticate(req);
    const sid = typeof req.query.sessionId === 'string' ? req.query.sessionId : '';
    if (!sid) throw new ApiError(400, 'sessionId is required');
    const session = await sessionCached(sid);
    if (!session) throw new ApiError(404, 'Session not found');
    if (session.studentId !== uid && !bug('leaky-live')) throw new ApiError(403, 'Student does not own this session');
    const journey = await store.getJson(K.journey(sid));
    const isActive = Boolean(journey);
    const location = isActive ? publicLocation(await readLocation(session.trainerId, sid)) : null;
    ok(res, 200, 'Live location', { sessionId: sid, trainerId: session.trainerId, location, isActive,
      lastUpdate: location ? location.timestamp : null });
  }));

  // -- 4 and 5: the journey must be active, the caller its trainer
  async function activeJourneyFor(req, { studentMayCall = false } = {}) {
    const uid = await authenticate(req);
    const sid = sessionIdParam(req);
    const journey = await store.getJson(K.journey(sid));
    if (!journey) {
      const session = await sessionFromDb(sid);
      throw new ApiError(404, session ? 'Journey not active for this session' : 'Session not found');
    }
    const allowed = journey.trainerId === uid || (studentMayCall && journey.studentId === uid);
    if (!allowed) throw new ApiError(403, 'Trainer does not own this session');
    return { sid, journey };
  }

  // Deletes the journey and its location and leaves the ended marker, in one MULTI; false when
  // another request ended it first.
  async function endJourney(sid, journey, reason) {
    const replies = await store.run(`end ${sid}`, (c) => {
      const m = c.multi().del(K.journey(sid)).del(K.location(journey.trainerId, sid));
      if (!bug('no-410')) m.set(K.ended(sid), reason, bug('ended-no-ttl') ? {} : { EX: ENDED_TTL });
      return m.exec();
    });
    return Number(replies[0]) > 0;
  }

  app.post('/api/v1/admin/sessions/:sessionId/arrived', wrap(async (req, res) => {
    const { sid, journey } = await activeJourneyFor(req);
    const session = (await sessionCached(sid)) || {};
    const home = session.studentHomeLocation;
    const loc = await readLocation(journey.trainerId, sid);
    if (!loc) throw new ApiError(400, 'No known location for this journey');
    if (!home || !isNumber(home.latitude) || !isNumber(home.longitude)) throw new ApiError(400, "The student's location is unknown");
    const meters = haversineMeters(loc.latitude, loc.longitude, home.latitude, home.longitude);
    if (meters > arrivalRadius) {
      throw new ApiError(400, `Trainer is ${Math.round(meters)} m from the student's location (must be within ${arrivalRadius} m)`);
    }
    if (!(await endJourney(sid, journey, 'arrived'))) throw new ApiError(404, 'Journey not active for this session');
    const when = nowIso();
    const otp = String(crypto.randomInt(0, 10000)).padStart(4, '0');
    try { // the session now waits for the student's OTP
      const db = await sessionFromDb(sid);
      if (db) {
        Object.assign(db, { status: 'pending_verification', studentOtp: otp, arrivedAt: when });
        await store.run('SET session', (c) => c.set(K.dbSession(sid), JSON.stringify(db), { KEEPTTL: true }));
      }
    } catch (e) {
      log('warn', `session status update after arrival failed (ignored): ${e.message}`);
    }
    await publish('TrainerJourneyEnded', { trainerId: journey.trainerId, studentId: journey.studentId, sessionId: sid,
      endTime: when, reason: 'arrived' });
    ok(res, 200, 'Trainer has arrived', { sessionId: sid, otp, arrivedAt: when });
  }));

  app.post('/api/v1/admin/sessions/:sessionId/stop-journey', wrap(async (req, res) => {
    const { sid, journey } = await activeJourneyFor(req, { studentMayCall: bug('student-can-stop') });
    if (!(await endJourney(sid, journey, 'cancelled'))) throw new ApiError(404, 'Journey not active for this session');
    const when = nowIso();
    await publish('TrainerJourneyEnded', { trainerId: journey.trainerId, studentId: journey.studentId, sessionId: sid,
      endTime: when, reason: 'cancelled' });
    ok(res, 200, 'Journey stopped', { sessionId: sid, stoppedAt: when });
  }));

  // -- fixtures: fresh sessions and users in the "database"
  app.post('/__peer/fixtures', json, wrap(async (req, res) => {
    let count = 1;
    const many = req.query.count !== undefined;
    if (many) {
      count = Number(req.query.count);
      if (!Number.isInteger(count) || count < 1 || count > MAX_FIXTURES) throw new ApiError(400, `count must be a whole number within 1..${MAX_FIXTURES}`);
    }
    let home = { ...DEFAULT_HOME };
    let status = 'scheduled';
    const body = req.body;
    if (body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body).length === 0)) {
      if (typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'body must be a JSON object');
      if (body.studentHome !== undefined) {
        const h = body.studentHome;
        if (!h || !isNumber(h.latitude) || !isNumber(h.longitude) || Math.abs(h.latitude) > 90 || Math.abs(h.longitude) > 180) {
          throw new ApiError(400, 'studentHome must be {latitude, longitude}');
        }
        home = { latitude: h.latitude, longitude: h.longitude };
      }
      if (body.status !== undefined) { // peer extension: a session in another status (start's 400)
        if (typeof body.status !== 'string' || !body.status) throw new ApiError(400, 'status must be a string');
        status = body.status;
      }
    }
    const out = [];
    for (let start = 0; start < count; start += 2000) {
      const batch = [];
      for (let i = start; i < Math.min(count, start + 2000); i++) {
        const f = { sessionId: crypto.randomUUID() };
        for (const role of ['trainer', 'student', 'otherTrainer', 'otherStudent']) {
          f[role] = { id: crypto.randomUUID(), token: crypto.randomBytes(32).toString('hex') };
        }
        f.studentHome = { ...home };
        f.nonScheduledSessionId = crypto.randomUUID(); // a completed session of the same pair
        batch.push(f);
      }
      await store.run('write fixtures', (c) => {
        const m = c.multi();
        for (const f of batch) {
          for (const [sid, st] of [[f.sessionId, status], [f.nonScheduledSessionId, 'completed']]) {
            m.set(K.dbSession(sid), JSON.stringify({ sessionId: sid, trainerId: f.trainer.id, studentId: f.student.id,
              status: st, studentHomeLocation: f.studentHome }), { EX: DB_TTL });
          }
          for (const role of ['trainer', 'student', 'otherTrainer', 'otherStudent']) {
            m.set(K.dbToken(f[role].token), f[role].id, { EX: DB_TTL });
          }
        }
        return m.execAsPipeline();
      }, 30000);
      out.push(...batch);
    }
    res.status(201).json(many ? { fixtures: out } : out[0]);
  }));

  app.get('/', (req, res) => res.json({ service: 'journey-peer-node', bugs, variants }));

  app.use((req, res) => res.status(404).json({ success: false, message: `Cannot ${req.method} ${req.path}` }));

  // eslint-disable-next-line no-unused-vars
  app.use((err, req, res, next) => {
    if (err instanceof ApiError) {
      res.set(err.headers);
      return res.status(err.status).json({ success: false, message: err.message });
    }
    if (err instanceof StoreUnavailable) {
      log('warn', `state store unavailable on ${req.method} ${req.path}: ${err.message}`);
      return res.status(503).json({ success: false, message: 'State store unavailable' });
    }
    if (err && err.type === 'entity.parse.failed') return res.status(400).json({ success: false, message: 'Body must be JSON' });
    if (err && err.type === 'entity.too.large') return res.status(413).json({ success: false, message: 'Body too large' });
    if (err && Number.isInteger(err.status) && err.status >= 400 && err.status < 500) {
      return res.status(err.status).json({ success: false, message: err.message || 'Bad request' });
    }
    log('error', `unhandled error on ${req.method} ${req.path}: ${err && err.stack ? err.stack : err}`);
    return res.status(500).json({ success: false, message: 'Internal server error' });
  });
  return app;
}

// ------------------------------------------------------------------ main

async function main() {
  const args = parseArgs(process.argv.slice(2));
  verbose = args.verbose;
  const mods = loadModules();
  log('info', `node ${mods.versions.node}, express ${mods.versions.express}, redis ${mods.versions.redis} ` +
    `(@redis/client ${mods.versions['@redis/client']}), modules from NODE_PATH=${process.env.NODE_PATH}`);

  const store = new Store(mods.redis, args.redis, args.storeTimeoutMs);
  if (!args.lazyRedis) {
    try {
      await store.ready(5000);
    } catch (e) {
      process.stderr.write(`journey_peer: cannot reach Redis at ${maskUrl(args.redis)}: ${e.message}\n`);
      process.exit(EX_FAILURE);
    }
  }
  const events = new Events(args.eventbridge);
  if (!args.eventbridge) log('info', 'no --eventbridge-endpoint: EventBridge events will be skipped');
  const app = buildApp(mods, store, events, args.bugs, args.variants);

  const server = http.createServer(app);
  // Longer than a balancer's idle timeout (nginx upstream keepalive 60 s, ALB 60 s): the app must
  // not close a kept-alive connection the balancer is about to reuse.
  server.keepAliveTimeout = 65000;
  server.headersTimeout = 66000;
  if (args.verbose) {
    server.on('request', (req, res) => {
      const t0 = Date.now();
      res.on('finish', () => log('debug', `${req.method} ${req.url.split('?')[0]} ${res.statusCode} ${Date.now() - t0} ms`));
    });
  }
  server.on('error', (e) => fatal(EX_FAILURE, `cannot listen on ${args.host}:${args.port}: ${e.message}`));
  server.listen({ host: args.host, port: args.port, backlog: 1024 }, () => {
    const { port } = server.address();
    const base = `http://${args.host}:${port}`;
    process.stdout.write(`${JSON.stringify({ baseURL: base, fixturesURL: `${base}/__peer/fixtures`,
      bugs: args.bugs, variants: args.variants, versions: mods.versions, storeTimeoutMs: args.storeTimeoutMs })}\n`);
    log('info', `listening on ${base} (redis ${maskUrl(args.redis)}${args.lazyRedis ? ', lazy' : ''}, ` +
      `bugs ${args.bugs.join(',') || 'none'}, variants ${args.variants.join(',') || 'none'})`);
  });

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal} received, shutting down`);
    const hard = setTimeout(() => process.exit(0), 3000);
    hard.unref();
    server.close(() => {
      store.client.disconnect().catch(() => {}).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => fatal(EX_FAILURE, e && e.stack ? e.stack : String(e)));
