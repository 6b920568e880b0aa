import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to a server on 127.0.0.1 whose connections can be cut
 * silently: {@link cutIdle} closes the server side of every open connection
 * and leaves the client side open, so a pooled client notices only when it
 * next sends something (the relay then closes its side), as after a network
 * failure or a server restart the client was not told about.
 */
export class TcpCut {
  readonly #server: Server;
  readonly #pairs = new Set<{ client: Socket; upstream: Socket }>();
  readonly #sockets = new Set<Socket>();
  /** Connections accepted so far. */
  accepted = 0;

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Starts a relay on a free port of 127.0.0.1 to `targetPort`. */
  static async start(targetPort: number): Promise<TcpCut & { port: number }> {
    const server = createServer();
    const relay = new TcpCut(server);
    server.on('connection', (client) => {
      relay.accepted++;
      relay.#sockets.add(client);
      client.on('close', () => relay.#sockets.delete(client));
      const upstream = connect(targetPort, '127.0.0.1');
      const pair = { client, upstream };
      relay.#pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const drop = () => {
        relay.#pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return Object.assign(relay, { port: (server.address() as { port: number }).port });
  }

  /** Cuts every open connection as described above. */
  cutIdle(): void {
    for (const pair of [...this.#pairs]) {
      this.#pairs.delete(pair);
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.upstream.removeAllListeners('close');
      pair.upstream.on('error', () => {});
      pair.upstream.destroy();
      pair.client.removeAllListeners('data');
      pair.client.once('data', () => pair.client.destroy());
      // unpipe() paused the socket: let the next bytes arrive
      pair.client.resume();
    }
  }

  async stop(): Promise<void> {
    for (const { upstream } of this.#pairs) upstream.destroy();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
