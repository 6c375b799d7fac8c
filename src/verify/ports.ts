/** Whether a TCP port can be bound here, and a free one when it cannot. */
import { createServer } from 'node:net';

/** Binds the port on every IPv4 interface, as `docker run -p` does, then lets go. */
function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

/** `port` when it is free, else a free port the system picks. */
export async function freeHostPort(port: number): Promise<number> {
  return (await tryListen(port)) ?? (await tryListen(0)) ?? port;
}
