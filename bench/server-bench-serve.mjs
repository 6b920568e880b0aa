// A server process for bench/server-bench.mjs. Usage:
//   node server-bench-serve.mjs feast <repo dir> [access-log]   the feast-ts feature server over the repo
//   node server-bench-serve.mjs floor <bodies.json>             bare Fastify answering fixed bodies (the floor)
// Prints `ready <port>` on stdout once it listens on 127.0.0.1; exits on SIGTERM.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { FeatureStore } from '@feast-ts/core';
import { createFeatureServer, onlineResponseJson } from '@feast-ts/server';
import Fastify from 'fastify';

const [mode, arg, extra] = process.argv.slice(2);
let close;
let url;
let serving;
if (mode === 'feast') {
  const store = await FeatureStore.open(arg, { resolveFrom: [import.meta.url] });
  // With access-log: pino writes a line per request, to a sink (the cost of formatting and writing it, not of a disk).
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const server = await createFeatureServer(store, extra === 'access-log' ? { logger: { level: 'info', stream: sink }, accessLog: true } : { logger: false });
  url = await server.listen({ port: 0 });
  close = () => server.close();
  serving = server.store;
} else if (mode === 'floor') {
  const bodies = JSON.parse(readFileSync(arg, 'utf8'));
  const app = Fastify({ logger: false });
  for (const [name, body] of Object.entries(bodies)) {
    app.post(`/floor/${name}`, async (_req, reply) => {
      reply.type('application/json');
      return body;
    });
  }
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * The store read (FeatureStore.getOnlineFeatures on the server's own store) and the JSON writer
 * (onlineResponseJson), called in this process `runs` times after 50 unmeasured calls: the part of
 * a request that is not the server's own, measured where the server runs, with its warm code.
 */
async function readCost({ refs, ids, runs }) {
  const read = [];
  const json = [];
  let cpuStart;
  for (let i = 0; i < runs + 50; i++) {
    if (i === 50) cpuStart = process.cpuUsage();
    const t0 = performance.now();
    const res = await serving.getOnlineFeatures({ features: refs, entityRows: { driver_id: ids } });
    const t1 = performance.now();
    onlineResponseJson(res);
    const t2 = performance.now();
    if (i >= 50) {
      read.push(t1 - t0);
      json.push(t2 - t1);
    }
  }
  const used = process.cpuUsage(cpuStart);
  read.sort((a, b) => a - b);
  json.sort((a, b) => a - b);
  return { readP50: pct(read, 50), jsonP50: pct(json, 50), cpuUs: (used.user + used.system) / runs, jsonMeanUs: (json.reduce((a, b) => a + b, 0) / json.length) * 1000 };
}

// The bench asks for this process's CPU time around each round (over IPC), to count CPU per
// request, and (feast mode) for the in-process cost of the store read.
process.on('message', (m) => {
  if (m === 'cpu') process.send(process.cpuUsage());
  else if (m?.read && serving) void readCost(m.read).then((r) => process.send({ readCost: r }));
});
process.stdout.write(`ready ${new URL(url).port}\n`);
process.once('SIGTERM', () => {
  void close().then(() => process.exit(0));
});
