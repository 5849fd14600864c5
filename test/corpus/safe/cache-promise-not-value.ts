// Safe: the cache holds the promise, stored before anything is awaited, so concurrent callers
// share one load instead of each loading and storing a value.
interface Config {
  apiUrl: string;
  flags: string[];
}

declare function fetchConfig(env: string): Promise<Config>;

const configs = new Map<string, Promise<Config>>();

export function getConfig(env: string): Promise<Config> {
  let config = configs.get(env);
  if (!config) {
    config = fetchConfig(env);
    configs.set(env, config);
  }
  return config;
}

export async function bootstrap(): Promise<string[]> {
  const [a, b] = await Promise.all([getConfig('prod'), getConfig('prod')]);
  return [...a.flags, ...b.flags];
}
