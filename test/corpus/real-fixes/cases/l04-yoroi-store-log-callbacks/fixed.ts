// Emurgo/yoroi-frontend PR #4433 review (reduction of the fix the review asks for: "Move read and
// write operations in one place"): each context's read-push-write runs behind the previous one on a
// promise chain, so every call reads the array the previous call wrote.
declare var chrome: any;

export type LogContext = 'main' | 'background' | 'connector';
export type LogEntry = { timestamp: string; level: 'debug' | 'info' | 'warn' | 'error'; message: string };

const logsBufferSize = 500;
const STORAGE_KEYS: Record<LogContext, string> = {
  main: 'yoroi-logs-main',
  background: 'yoroi-logs-background',
  connector: 'yoroi-logs-connector',
};

function getStorageAPI(): any {
  if (typeof chrome !== 'undefined' && chrome.storage && chrome.storage.local) return chrome.storage.local;
  return null;
}

async function appendLog(storage: any, key: string, entry: LogEntry): Promise<void> {
  const result = await new Promise((resolve, reject) => {
    storage.get(key, (data: Record<string, unknown>) => {
      if (chrome.runtime && chrome.runtime.lastError) {
        reject(chrome.runtime.lastError);
        return;
      }
      resolve(data[key] || []);
    });
  });

  const logs: Array<LogEntry> = Array.isArray(result) ? result : [];
  logs.push(entry);
  if (logs.length > logsBufferSize) logs.shift();

  await new Promise<void>((resolve, reject) => {
    storage.set({ [key]: logs }, () => {
      if (chrome.runtime && chrome.runtime.lastError) {
        reject(chrome.runtime.lastError);
        return;
      }
      resolve();
    });
  });
}

const writeChains: Partial<Record<LogContext, Promise<void>>> = {};

export function storeLog(context: LogContext, entry: LogEntry): Promise<void> {
  const storage = getStorageAPI();
  if (!storage) return Promise.resolve();
  const key = STORAGE_KEYS[context];
  const run = (writeChains[context] ?? Promise.resolve())
    .then(() => appendLog(storage, key, entry))
    .catch((error) => {
      console.error(`Failed to store log for context ${context}:`, error);
    });
  writeChains[context] = run;
  return run;
}

export const Logger = {
  info(message: string): void {
    storeLog('main', { timestamp: new Date().toISOString(), level: 'info', message });
  },
  error(message: string): void {
    storeLog('main', { timestamp: new Date().toISOString(), level: 'error', message });
  },
};
