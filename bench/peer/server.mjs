// The benchmark's peer: node-oidc-provider with the same public client, grants and token formats as
// AuthServer's refresh scenario — a password grant that starts a login, then the provider's own
// refresh_token grant with rotation, RS256-signed JWT access tokens (RFC 9068) for the audience
// resource-api, an id_token beside them. Its store is an unbounded in-memory Map (the provider's
// development adapter is an LRU that would evict logins under load). Nothing of it is part of the
// solution: bench.sh installs it from npm (bench/peer/package.json) and starts it with
//   PORT=... BENCH_USER_PREFIX=bench- BENCH_USER_COUNT=256 BENCH_PASSWORD=... node server.mjs
import { generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const port = Number(process.env.PORT);
if (!port) throw new Error('PORT is required');
const prefix = process.env.BENCH_USER_PREFIX ?? 'bench-';
const count = Number(process.env.BENCH_USER_COUNT ?? 256);
const password = Buffer.from(process.env.BENCH_PASSWORD ?? '');
const users = new Set(Array.from({ length: count }, (_, n) => `${prefix}${String(n).padStart(4, '0')}`));

// A resource indicator is an absolute URI; the access token's audience is AuthServer's.
const resource = 'urn:authrefresh:resource-api';
const resourceServer = { scope: 'notes', audience: 'resource-api', accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
const scope = 'openid offline_access notes';

const store = new Map();
class MemoryAdapter {
  constructor(model) { this.model = model; }
  key(id) { return `${this.model}:${id}`; }
  async upsert(id, payload, expiresIn) {
    store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    if (payload.grantId) {
      const grant = `grant:${payload.grantId}`;
      const keys = store.get(grant) ?? new Set();
      keys.add(this.key(id));
      store.set(grant, keys);
    }
  }
  async find(id) {
    const entry = store.get(this.key(id));
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) { store.delete(this.key(id)); return undefined; }
    return entry.payload;
  }
  async findByUserCode() { return undefined; }
  async findByUid() { return undefined; }
  async consume(id) {
    const entry = store.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) { store.delete(this.key(id)); }
  async revokeByGrantId(grantId) {
    const grant = `grant:${grantId}`;
    for (const key of store.get(grant) ?? []) store.delete(key);
    store.delete(grant);
  }
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'peer-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  adapter: MemoryAdapter,
  jwks: { keys: [jwk] },
  clients: [{
    client_id: 'public-client',
    token_endpoint_auth_method: 'none',
    grant_types: ['password', 'refresh_token'],
    response_types: [],
    redirect_uris: [],
    scope,
  }],
  scopes: ['openid', 'offline_access', 'notes'],
  findAccount: (ctx, id) => users.has(id) ? { accountId: id, claims: () => ({ sub: id }) } : undefined,
  routes: { token: '/connect/token' },
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => resourceServer,
    },
  },
  rotateRefreshToken: true,
  ttl: { AccessToken: 300, IdToken: 300, RefreshToken: 14 * 24 * 3600, Grant: 14 * 24 * 3600 },
});

// The password grant: what the provider's authorization_code grant issues, without the code. The
// password is compared, not hashed: the benchmark measures the refresh, not the sign-in.
provider.registerGrantType('password', async (ctx) => {
  const { username, password: given } = ctx.oidc.params;
  const candidate = Buffer.from(given ?? '');
  if (!users.has(username) || candidate.length !== password.length || !timingSafeEqual(candidate, password)) {
    throw new errors.InvalidGrant('invalid credentials provided');
  }

  const { client } = ctx.oidc;
  const grant = new provider.Grant({ clientId: client.clientId, accountId: username });
  grant.addOIDCScope('openid offline_access');
  grant.addResourceScope(resource, 'notes');
  const grantId = await grant.save();

  const at = new provider.AccessToken({ accountId: username, client, grantId, gty: 'password' });
  at.resourceServer = new provider.ResourceServer(resource, resourceServer);
  at.scope = 'notes';
  const accessToken = await at.save();

  const authTime = Math.floor(Date.now() / 1000);
  const rt = new provider.RefreshToken({ accountId: username, client, grantId, gty: 'password', scope, resource, rotations: 0, authTime });
  const refreshToken = await rt.save();

  const idToken = new provider.IdToken({ sub: username, auth_time: authTime }, { ctx });
  idToken.scope = 'openid';
  ctx.body = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: at.expiration,
    refresh_token: refreshToken,
    id_token: await idToken.issue({ use: 'idtoken' }),
    scope,
  };
}, ['username', 'password', 'scope']);

provider.listen(port, '127.0.0.1', () => console.log(`peer listening on http://127.0.0.1:${port}`));
