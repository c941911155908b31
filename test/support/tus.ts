// A tus 1.0 client written out by hand over raw sockets, so tests can count every byte on the wire
// and drop a connection part-way, as a train entering a tunnel would.
import { once } from 'node:events';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Bytes this request put on the wire: request line, headers and body. */
  wireBytes: number;
}

export interface RawRequest {
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send only this many body bytes, then drop the connection without a response. */
  dropAfter?: number;
}

export async function rawRequest(r: RawRequest): Promise<RawResponse | { dropped: true; wireBytes: number }> {
  const socket = connect(r.port, '127.0.0.1');
  await once(socket, 'connect');
  const body = r.body ?? Buffer.alloc(0);
  const head = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', `Content-Length: ${body.length}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => undefined);
  const closed = once(socket, 'close');
  socket.write(head);
  const end = r.dropAfter ?? body.length;
  for (let at = 0; at < end; at += 64 * 1024) {
    if (!socket.write(body.subarray(at, Math.min(end, at + 64 * 1024)))) await once(socket, 'drain');
  }
  if (r.dropAfter !== undefined) {
    // Every byte written so far has left this process; then the line goes dead.
    await new Promise<void>((done) => socket.write(Buffer.alloc(0), () => done()));
    const wireBytes = socket.bytesWritten;
    socket.destroy();
    await closed;
    return { dropped: true, wireBytes };
  }
  await closed;
  return { ...parse(Buffer.concat(chunks).toString('latin1')), wireBytes: socket.bytesWritten };
}

function parse(raw: string): Omit<RawResponse, 'wireBytes'> {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

export const tusHeaders = (cookie: string, extra: Record<string, string> = {}) => ({ 'Tus-Resumable': '1.0.0', Cookie: cookie, ...extra });

export const tusMetadata = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
