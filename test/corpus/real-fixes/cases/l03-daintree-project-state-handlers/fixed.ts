// daintreehq/daintree PR #10108 "fix(state): serialize concurrent per-project state writes"
// (reduction, fixed): every set* handler hands an updater to enqueueProjectStateUpdate, a
// per-project promise chain in which each updater sees the state its predecessor committed.
import { ipcMain } from 'electron';
import { projectStore } from './ProjectStore';

export function registerTerminalLayoutHandlers(): void {
  ipcMain.handle('project:set-terminals', async (_event: unknown, payload: { projectId: string; terminals: unknown[] }) => {
    const { projectId, terminals } = payload;
    await projectStore.enqueueProjectStateUpdate(projectId, (existingState) => ({
      projectId,
      sidebarWidth: existingState?.sidebarWidth ?? 350,
      terminals,
      tabGroups: existingState?.tabGroups ?? [],
      focusMode: existingState?.focusMode,
    }));
  });

  ipcMain.handle('project:set-tab-groups', async (_event: unknown, payload: { projectId: string; tabGroups: unknown[] }) => {
    const { projectId, tabGroups } = payload;
    await projectStore.enqueueProjectStateUpdate(projectId, (existingState) => ({
      projectId,
      sidebarWidth: existingState?.sidebarWidth ?? 350,
      terminals: existingState?.terminals ?? [],
      tabGroups,
      focusMode: existingState?.focusMode,
    }));
  });
}
