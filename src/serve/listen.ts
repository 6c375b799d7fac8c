/** Binding the port, with a clear line (and a fix) for the failures users meet. */
import type http from 'node:http';
import { IrisopsError } from '../errors.js';

function listenError(error: NodeJS.ErrnoException, host: string, port: number): IrisopsError {
  if (error.code === 'EADDRINUSE') {
    return new IrisopsError('PORT_IN_USE', `port ${port} on ${host} is already in use`, {
      hint: `irisops serve --port ${port + 1}`,
    });
  }
  if (error.code === 'EACCES') {
    return new IrisopsError(
      'PORT_DENIED',
      `port ${port} on ${host} needs privileges this user does not have (ports below 1024 usually do)`,
      { hint: 'irisops serve --port 8000', cause: error },
    );
  }
  if (error.code === 'EADDRNOTAVAIL') {
    return new IrisopsError('HOST_UNAVAILABLE', `${host} is not an address of this machine`, {
      hint: `irisops serve --host 127.0.0.1 --port ${port}`,
      cause: error,
    });
  }
  return new IrisopsError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${error.message}`, {
    cause: error,
  });
}

export function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(error, host, port));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port });
  });
}
