// Eppo-exp/js-client-sdk PR #145 "Multiple concurrent calls to `init` causing multiple fetches"
// (reduction of the proposed fix): a map from API key to the pending initialization; init()
// delegates to it while it runs, and the entry is removed when the work completes.
interface IClientConfig { apiKey: string; baseUrl?: string; maxRetryDelayMs?: number }
interface EppoClient { getStringAssignment(flagKey: string, subjectKey: string, defaultValue: string): string }

declare function fetchConfigurations(config: IClientConfig): Promise<Record<string, unknown>>;
declare function createClient(flags: Record<string, unknown>): EppoClient;

const initializationPromises = new Map<string, Promise<EppoClient>>();
let instance: EppoClient | undefined;

async function exclusiveInit(config: IClientConfig): Promise<EppoClient> {
  const flags = await fetchConfigurations(config);
  instance = createClient(flags);
  return instance;
}

export async function init(config: IClientConfig): Promise<EppoClient> {
  const pending = initializationPromises.get(config.apiKey);
  if (pending) return pending;

  const initialization = exclusiveInit(config).finally(() => {
    initializationPromises.delete(config.apiKey);
  });
  initializationPromises.set(config.apiKey, initialization);
  return initialization;
}

export function getInstance(): EppoClient | undefined {
  return instance;
}
