// Loopback helpers: a free port, and a proxy that refuses everything and
// records what was asked of it (it stands in for "the usual registry is
// unreachable" and proves nothing tried to reach it).
import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a proxy on a free loopback port that answers every request (plain
 * HTTP or CONNECT) with 502 and closes the connection, recording the request
 * line. `requests` holds the lines seen since the last `reset()`.
 */
export async function startRefusingProxy() {
  const requests = [];
  const server = net.createServer((socket) => {
    let head = '';
    socket.setEncoding('latin1');
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      if (head.includes('\n')) return;
      head += chunk;
      if (head.includes('\n') || head.length > 4096) {
        requests.push(head.split(/\r?\n/)[0].slice(0, 200));
        socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => requests.splice(0, requests.length),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
