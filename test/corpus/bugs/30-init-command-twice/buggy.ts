// EtienneLescot/n8n-as-code PR #59: the "initialize" command ran the whole initialization when
// the extension was not yet initialized and only then set the flag; triggering it twice (the
// command and the startup path) ran two initializations that conflicted.
interface Disposable {
  dispose(): void;
}

declare function pullWorkflows(dir: string): Promise<number>;
declare function startWatcher(dir: string): Disposable;
declare function showInfo(message: string): void;

let initialized = false;
let watcher: Disposable | undefined;

export async function handleInitializeCommand(workspaceDir: string): Promise<void> {
  if (initialized) {
    showInfo('n8n-as-code is already initialized');
    return;
  }
  const count = await pullWorkflows(workspaceDir);
  watcher = startWatcher(workspaceDir);
  initialized = true;
//^ check-then-act
  showInfo(`Pulled ${count} workflows`);
}

export function deactivate(): void {
  watcher?.dispose();
}
