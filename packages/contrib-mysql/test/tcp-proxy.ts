import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of the test server, to break connections
 * the way a server restart or a failover does, at a moment the test chooses.
 */
export interface TcpProxy {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /**
   * Closes the server side of every open connection but leaves the client
   * side open and silent, so the client only finds out on its next command
   * (its socket is then reset): a connection the pool still thinks is alive.
   */
  severIdle(): void;
  /** Resets a connection as soon as the client sends bytes containing `marker` (before forwarding them). */
  resetOn(marker: string): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; severed: boolean }>();
  let accepted = 0;
  let marker: Buffer | undefined;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(targetPort, targetHost);
    const pair = { client, upstream, severed: false };
    pairs.add(pair);
    upstream.on('data', (d) => client.write(d));
    client.on('data', (d) => {
      if (pair.severed || (marker && d.includes(marker))) {
        upstream.destroy();
        client.resetAndDestroy();
        return;
      }
      upstream.write(d);
    });
    upstream.on('close', () => {
      if (!pair.severed) client.destroy();
    });
    client.on('close', () => {
      upstream.destroy();
      pairs.delete(pair);
    });
    upstream.on('error', () => undefined);
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    severIdle() {
      for (const pair of pairs) {
        pair.severed = true;
        pair.upstream.destroy();
      }
    },
    resetOn(text: string) {
      marker = Buffer.from(text);
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A server on 127.0.0.1 that accepts connections and never says a word: a MySQL host that does not answer. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
