// Fix (the PR): remember the initialization in progress as a promise; a second trigger waits for
// it instead of starting another one.
interface Disposable {
  dispose(): void;
}

declare function pullWorkflows(dir: string): Promise<number>;
declare function startWatcher(dir: string): Disposable;
declare function showInfo(message: string): void;

let initializing: Promise<void> | undefined;
let watcher: Disposable | undefined;

async function initialize(workspaceDir: string): Promise<void> {
  const count = await pullWorkflows(workspaceDir);
  watcher = startWatcher(workspaceDir);
  showInfo(`Pulled ${count} workflows`);
}

export async function handleInitializeCommand(workspaceDir: string): Promise<void> {
  if (initializing) {
    showInfo('n8n-as-code is already initializing');
    return initializing;
  }
  initializing = initialize(workspaceDir).catch((err: unknown) => {
    initializing = undefined;
    throw err;
  });
  return initializing;
}

export function deactivate(): void {
  watcher?.dispose();
}
