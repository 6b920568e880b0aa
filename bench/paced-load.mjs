// An open-loop load at a fixed, evenly paced rate, for bench/server-bench.mjs: requests are due
// every 1/rate seconds, each sent on a free keep-alive connection (of `connections`). A request's
// latency runs from when it was sent to when its answer ended; one that found every connection
// busy counts from when it was due, so time spent waiting for the server counts too (no
// coordinated omission). The pacing timer ticks about every millisecond (setTimeout), sending what
// is due; its own lateness is the client's, not counted.
//
// Why not autocannon's overallRate: autocannon limits a rate per second by letting each connection
// send as fast as it can until its share of the second is used up, then pause until the next
// second, so "1000 req/s" arrives as a burst at the start of each second, queueing as at saturation.
//
// The client is a minimal HTTP/1.1 one over net.Socket (the request bytes built once, answers
// framed by Content-Length), to keep its own CPU cost, on cores shared with the server, small.
import net from 'node:net';

/**
 * @param {{ port: number, path: string, body: string, connections: number, rate: number, seconds: number }} o
 * @returns {Promise<{ latencies: number[], sent: number, late: number }>} latencies in ms; `late`: requests that waited for a free connection
 */
export async function pacedLoad({ port, path, body, connections, rate, seconds }) {
  const request = Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
  );
  const latencies = [];
  const free = [];
  const waiting = []; // due times of requests waiting for a free connection
  let late = 0;
  let failure;

  const sendOn = (conn, from) => {
    conn.dueAt = from;
    conn.socket.write(request);
  };
  const done = (conn) => {
    latencies.push(performance.now() - conn.dueAt);
    const next = waiting.shift();
    if (next !== undefined) sendOn(conn, next);
    else free.push(conn);
  };

  const conns = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise((resolve, reject) => {
          const socket = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(conn));
          const conn = { socket, dueAt: 0, buf: Buffer.alloc(0) };
          socket.once('error', reject);
          socket.on('data', (chunk) => {
            conn.buf = conn.buf.length === 0 ? chunk : Buffer.concat([conn.buf, chunk]);
            for (;;) {
              const end = conn.buf.indexOf('\r\n\r\n');
              if (end < 0) return;
              const head = conn.buf.subarray(0, end).toString('latin1');
              const status = Number(head.slice(9, 12));
              const m = /\r\ncontent-length: *(\d+)/i.exec(head);
              if (!m) {
                failure ??= new Error(`paced load: an answer without Content-Length: ${head.slice(0, 200)}`);
                return;
              }
              const total = end + 4 + Number(m[1]);
              if (conn.buf.length < total) return;
              conn.buf = conn.buf.subarray(total);
              if (status !== 200) failure ??= new Error(`paced load: status ${status}`);
              done(conn);
            }
          });
        }),
    ),
  );
  free.push(...conns);

  const interval = 1000 / rate;
  const start = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const dueAt = start + sent * interval;
        sent++;
        const conn = free.pop();
        if (conn) sendOn(conn, performance.now());
        else {
          late++;
          waiting.push(dueAt);
        }
      }
      if (sent < total) setTimeout(tick, 0);
      else resolve();
    };
    tick();
  });
  // Let the requests in flight finish (bounded: at most 10 s).
  const deadline = performance.now() + 10_000;
  while (latencies.length < sent && performance.now() < deadline && !failure) await new Promise((r) => setTimeout(r, 1));
  for (const c of conns) c.socket.destroy();
  if (failure) throw failure;
  if (latencies.length < sent) throw new Error(`paced load: ${sent - latencies.length} of ${sent} requests unanswered after 10 s`);
  return { latencies, sent, late };
}
