// Safe: the "busy" flag is taken before the first await, so a second caller sees it and
// returns; there is no window between the check and the act.
declare function syncWithServer(): Promise<number>;

let isSyncing = false;
export let lastSynced = 0;

export async function sync(): Promise<void> {
  if (isSyncing) return;
  isSyncing = true;
  try {
    lastSynced = await syncWithServer();
  } finally {
    isSyncing = false;
  }
}

export function onVisibilityChange(): void {
  void sync();
  void sync();
}
