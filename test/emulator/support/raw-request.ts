import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request with exactly the headers given, the Host header included (fetch always sends the URL's own Host): what
 * a browser sends after a page's name was made to resolve to this machine. An event stream is read only until its
 * first message, then the request is dropped.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      const answer = () => ({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.on('data', (chunk: string) => {
        body += chunk;
        if (/^text\/event-stream/.test(res.headers['content-type'] ?? '') && body.includes('\n\n')) {
          resolve(answer());
          req.destroy();
        }
      });
      res.on('end', () => resolve(answer()));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
