// idempot-dev/idempot-js issue #182 fix "atomic startProcessing in the redis store" (reduction, fixed)
export class ConflictError extends Error {}

export class NodeRedisIdempotencyStore {
  constructor({ client, prefix = 'idempot:' }) {
    this.client = client;
    this.prefix = prefix;
  }

  async lookup(key) {
    const raw = await this.client.get(this.prefix + key);
    return raw ? JSON.parse(raw) : null;
  }

  async startProcessing(key, fingerprint, ttlMs) {
    const record = { status: 'processing', fingerprint, startedAt: Date.now() };
    // NX: only the first request for this key creates the record; a concurrent one gets null.
    const ok = await this.client.set(this.prefix + key, JSON.stringify(record), { NX: true, PX: ttlMs });
    if (ok !== 'OK') {
      throw new ConflictError(`request with key ${key} is already being processed`);
    }
    return record;
  }

  async complete(key, response, ttlMs) {
    const record = { status: 'complete', response, completedAt: Date.now() };
    await this.client.set(this.prefix + key, JSON.stringify(record), { XX: true, PX: ttlMs });
  }
}

export function idempotency(store, { ttlMs = 86_400_000 } = {}) {
  return async (req, res, next) => {
    const key = req.get('Idempotency-Key');
    if (!key) return next();
    const existing = await store.lookup(key);
    if (existing?.status === 'complete') return res.status(existing.response.status).json(existing.response.body);
    try {
      await store.startProcessing(key, req.body?.fingerprint ?? '', ttlMs);
    } catch (err) {
      if (err instanceof ConflictError) return res.status(409).json({ error: err.message });
      throw err;
    }
    next();
  };
}
