// Fix: cache the promise of the key, set before the first await; concurrent callers share it
// and a failure removes it so the next call retries.
/** @typedef {{ kid: string, kty: string, n: string, e: string }} Jwk */

/** @type {Map<string, Promise<Jwk>>} */
const cache = new Map();

/** @param {string} domain @returns {Promise<Jwk[]>} */
async function fetchJwks(domain) {
  const response = await fetch(`${domain}/.well-known/jwks.json`);
  const body = /** @type {{ keys: Jwk[] }} */ (await response.json());
  return body.keys;
}

/** @param {string} domain @param {string} kid */
export function getJwk(domain, kid) {
  const cacheKey = `${domain}|${kid}`;
  let pending = cache.get(cacheKey);
  if (!pending) {
    pending = fetchJwks(domain).then((keys) => {
      const jwk = keys.find((k) => k.kid === kid);
      if (!jwk) throw new Error(`No matching JWK found in the set for ${kid}`);
      return jwk;
    });
    pending.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, pending);
  }
  return pending;
}
