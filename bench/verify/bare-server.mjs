// The ceiling: a node:http handler that answers the same JSON as /api/verify without verifying anything.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const body = JSON.stringify({
  clientKey: process.env.BENCH_CLIENT_KEY,
  baseUrl: process.env.BENCH_TENANT_BASE_URL,
  accountId: 'bench-account',
  context: {},
});
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
