// atlassian-connect-express 11 `checkValidToken()` (= authenticate(true), its context-token check) on Express 4
// with body-parser (ACE needs req.body set, or header tokens are never read).
//
// Store: ACE's default is sequelize with `dialect: memory`, which needs the `sqlite3` native package (not a
// dependency here). ACE supports custom adapters through `ace.store.register`, so this uses an in-memory Map
// adapter holding the clientInfo OBJECT (no JSON parse per read, unlike its redis/sequelize adapters): ACE's best
// case, which makes the comparison conservative.
const fs = require('node:fs');
const path = require('node:path');
const express = require('express');
const ace = require('atlassian-connect-express');

const dir = process.env.BENCH_ACE_DIR;
process.chdir(dir);
const clientInfo = {
  key: 'com.example.bench',
  clientKey: process.env.BENCH_CLIENT_KEY,
  sharedSecret: process.env.BENCH_SHARED_SECRET,
  baseUrl: process.env.BENCH_TENANT_BASE_URL,
  productType: 'confluence',
  eventType: 'installed',
};

class MemoryAdapter {
  constructor() {
    this.data = new Map([[`${clientInfo.clientKey}:clientInfo`, clientInfo]]);
  }
  async get(key, clientKey) {
    return this.data.get(`${clientKey}:${key}`) ?? null;
  }
  async set(key, value, clientKey) {
    this.data.set(`${clientKey}:${key}`, value);
    return value;
  }
  async saveInstallation(value, clientKey) {
    return this.set('clientInfo', value, clientKey);
  }
  async del(key, clientKey) {
    this.data.delete(`${clientKey}:${key}`);
  }
  async getAllClientInfos() {
    return [...this.data.values()];
  }
  isMemoryStore() {
    return true;
  }
}
ace.store.register('benchmem', () => new MemoryAdapter());

fs.writeFileSync(
  path.join(dir, 'atlassian-connect.json'),
  JSON.stringify({
    key: 'com.example.bench',
    name: 'bench',
    baseUrl: '{{localBaseUrl}}',
    authentication: { type: 'jwt' },
    lifecycle: { installed: '/installed' },
    scopes: ['READ'],
    modules: {},
  }),
);
fs.writeFileSync(
  path.join(dir, 'config.json'),
  JSON.stringify({
    production: {
      port: 0,
      localBaseUrl: 'http://127.0.0.1',
      store: { adapter: 'benchmem' },
      watch: false,
      validateDescriptor: false,
      whitelist: ['*'],
    },
  }),
);

const silent = { info() {}, warn() {}, error() {}, debug() {}, log() {} };
const app = express();
app.set('env', 'production');
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
const addon = ace(app, {}, silent);
app.get('/api/verify', addon.checkValidToken(), (req, res) => {
  res.json({
    clientKey: req.context.clientKey,
    baseUrl: req.context.hostBaseUrl,
    accountId: req.context.userAccountId,
    context: req.context.context ?? {},
  });
});
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
