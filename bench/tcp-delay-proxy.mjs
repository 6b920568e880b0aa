// A TCP proxy for benchmarks that delays every chunk by a fixed time in each direction, so a
// client on the same host sees a network round trip like a same-zone network's (about 0.5 ms:
// 0.25 ms each way). It runs in a worker thread, so its timing does not wait for the
// benchmark's own work. Timers in Node have a 1 ms granularity, so chunks that are due in less
// than that are released by a setImmediate loop that runs only while chunks are in flight.
//
//   const proxy = await startDelayProxy({ host, port, delayMs: 0.25 });
//   ... connect to 127.0.0.1:proxy.port ...
//   await proxy.close();
import { Worker } from 'node:worker_threads';

const WORKER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { host, port, delayMs } = workerData;
const delayNs = BigInt(Math.round(delayMs * 1e6));
const queue = []; // [dueNs, socket, chunk], in due order (the delay is constant)
let spinning = false;
function pump() {
  const now = process.hrtime.bigint();
  while (queue.length > 0 && queue[0][0] <= now) {
    const [, socket, chunk] = queue.shift();
    if (!socket.destroyed) socket.write(chunk);
  }
  if (queue.length === 0) {
    spinning = false;
    return;
  }
  const wait = Number(queue[0][0] - now) / 1e6;
  if (wait > 1.5) setTimeout(pump, Math.floor(wait - 0.5));
  else setImmediate(pump);
}
function forward(from, to) {
  from.on('data', (chunk) => {
    queue.push([process.hrtime.bigint() + delayNs, to, chunk]);
    if (!spinning) {
      spinning = true;
      setImmediate(pump);
    }
  });
}
const sockets = new Set();
const server = net.createServer((client) => {
  client.setNoDelay(true);
  const upstream = net.connect({ host, port });
  upstream.setNoDelay(true);
  for (const s of [client, upstream]) {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  }
  forward(client, upstream);
  forward(upstream, client);
  const endBoth = () => { client.destroy(); upstream.destroy(); };
  client.on('close', endBoth);
  upstream.on('close', endBoth);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'close') {
    for (const s of sockets) s.destroy();
    server.close(() => parentPort.postMessage({ closed: true }));
  }
});
`;

/**
 * Starts the proxy to `host:port`, delaying each chunk by `delayMs` in each direction.
 * @returns the local port to connect to, and close()
 */
export async function startDelayProxy({ host, port, delayMs }) {
  const worker = new Worker(WORKER, { eval: true, workerData: { host, port, delayMs } });
  const local = await new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m) => resolve(m.port));
  });
  return {
    port: local,
    async close() {
      await new Promise((resolve) => {
        worker.once('message', resolve);
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
