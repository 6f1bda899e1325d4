/**
 * HTTP requests with exactly the headers a test names (fetch would add, normalise or forbid some,
 * such as Host), and raw requests for what no client library sends (HTTP/1.0 without Host).
 */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface Exact {
  readonly method?: string;
  readonly path?: string;
  /** Sent as given; no Host unless named here. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** One request to `base` (`http://127.0.0.1:port`) with exactly `headers`, and Content-Length for a body. */
export function exact(base: string, { method = 'POST', path = '/events', headers = {}, body }: Exact): Promise<Answer> {
  const { hostname, port } = new URL(base);
  const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, setHost: false, headers: { ...headers, ...length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The raw bytes `text` sent to `base`; resolves with the status line of the answer. */
export function raw(base: string, text: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(text));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}
