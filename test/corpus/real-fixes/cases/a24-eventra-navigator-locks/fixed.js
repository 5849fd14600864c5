// SandeepVashishtha/Eventra PR #10847 "replace TOCTOU localStorage lock with Web Locks API" (reduction, fixed)
const SYNC_LOCK_NAME = 'eventra-offline-sync';
const QUEUE_KEY = 'eventra:pendingActions';

function readQueue() {
  try {
    return JSON.parse(localStorage.getItem(QUEUE_KEY) || '[]');
  } catch {
    return [];
  }
}

async function flushQueue(apiClient) {
  const pending = readQueue();
  const failed = [];
  for (const action of pending) {
    try {
      await apiClient.post(action.url, action.body);
    } catch {
      failed.push(action);
    }
  }
  localStorage.setItem(QUEUE_KEY, JSON.stringify(failed));
  return pending.length - failed.length;
}

export async function executeSyncWithLocalLock(apiClient) {
  if (navigator.locks?.request) {
    // Only one tab at a time runs the flush; the others skip instead of double-posting.
    return navigator.locks.request(SYNC_LOCK_NAME, { ifAvailable: true }, async (lock) => {
      if (!lock) return 0;
      return flushQueue(apiClient);
    });
  }
  const token = `${Date.now()}-${Math.random()}`;
  localStorage.setItem(SYNC_LOCK_NAME, token);
  await new Promise((r) => setTimeout(r, 50));
  if (localStorage.getItem(SYNC_LOCK_NAME) !== token) return 0;
  try {
    return await flushQueue(apiClient);
  } finally {
    localStorage.removeItem(SYNC_LOCK_NAME);
  }
}

window.addEventListener('online', () => executeSyncWithLocalLock(window.eventraApi));
setInterval(() => executeSyncWithLocalLock(window.eventraApi), 30000);
