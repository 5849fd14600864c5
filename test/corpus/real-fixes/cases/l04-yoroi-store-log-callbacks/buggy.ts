// Emurgo/yoroi-frontend PR #4433 review (buggy twin): storeLog reads the context's log array from
// chrome.storage.local through a callback, pushes the entry and writes the array back through
// another callback. Logger and the console overrides call it without awaiting, so two log calls
// both read the same array and one entry is lost.
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

export async function storeLog(context: LogContext, entry: LogEntry): Promise<void> {
  const storage = getStorageAPI();
  if (!storage) return;
  try {
    const key = STORAGE_KEYS[context];
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
//    ^ lost-update
        if (chrome.runtime && chrome.runtime.lastError) {
          reject(chrome.runtime.lastError);
          return;
        }
        resolve();
      });
    });
  } catch (error) {
    console.error(`Failed to store log for context ${context}:`, error);
  }
}

export const Logger = {
  info(message: string): void {
    storeLog('main', { timestamp: new Date().toISOString(), level: 'info', message });
  },
  error(message: string): void {
    storeLog('main', { timestamp: new Date().toISOString(), level: 'error', message });
  },
};
