// nearform/get-jwks#19: with an empty or expired cache, ten concurrent verifications for the
// same issuer each fetched the JWKS and each stored it; the maintainer's fix puts the Promise
// in the cache.
/** @typedef {{ kid: string, kty: string, n: string, e: string }} Jwk */

/** @type {Map<string, Jwk>} */
const cache = new Map();

/** @param {string} domain @returns {Promise<Jwk[]>} */
async function fetchJwks(domain) {
  const response = await fetch(`${domain}/.well-known/jwks.json`);
  const body = /** @type {{ keys: Jwk[] }} */ (await response.json());
  return body.keys;
}

/** @param {string} domain @param {string} kid */
export async function getJwk(domain, kid) {
  const cacheKey = `${domain}|${kid}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const keys = await fetchJwks(domain);
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error(`No matching JWK found in the set for ${kid}`);
  cache.set(cacheKey, jwk);
//^ check-then-act
  return jwk;
}
