// A server process for bench/server-bench.mjs. Usage:
//   node server-bench-serve.mjs feast <repo dir> [access-log]   the feast-ts feature server over the repo
//   node server-bench-serve.mjs floor <bodies.json>             bare Fastify answering fixed bodies (the floor)
// Prints `ready <port>` on stdout once it listens on 127.0.0.1; exits on SIGTERM.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { FeatureStore } from '@feast-ts/core';
import { createFeatureServer } from '@feast-ts/server';
import Fastify from 'fastify';

const [mode, arg, extra] = process.argv.slice(2);
let close;
let url;
if (mode === 'feast') {
  const store = await FeatureStore.open(arg, { resolveFrom: [import.meta.url] });
  // With access-log: pino writes a line per request, to a sink (the cost of formatting and writing it, not of a disk).
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const server = await createFeatureServer(store, extra === 'access-log' ? { logger: { level: 'info', stream: sink }, accessLog: true } : { logger: false });
  url = await server.listen({ port: 0 });
  close = () => server.close();
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
// The bench asks for this process's CPU time around each round (over IPC), to count CPU per request.
process.on('message', (m) => {
  if (m === 'cpu') process.send(process.cpuUsage());
});
process.stdout.write(`ready ${new URL(url).port}\n`);
process.once('SIGTERM', () => {
  void close().then(() => process.exit(0));
});
