// daintreehq/daintree issue #9913 (buggy twin): each set* IPC handler reads the whole per-project
// state, sets its own field and saves the whole object. The renderer sends setTerminals and
// setTabGroups in the same tick; both read {T0, G0}, and the second save reverts the other's field.
import { ipcMain } from 'electron';
import { projectStore } from './ProjectStore';

export function registerTerminalLayoutHandlers(): void {
  ipcMain.handle('project:set-terminals', async (_event: unknown, payload: { projectId: string; terminals: unknown[] }) => {
    const { projectId, terminals } = payload;
    const existingState = await projectStore.getProjectState(projectId);
    await projectStore.saveProjectState(projectId, {
//        ^ lost-update
      projectId,
      sidebarWidth: existingState?.sidebarWidth ?? 350,
      terminals,
      tabGroups: existingState?.tabGroups ?? [],
      focusMode: existingState?.focusMode,
    });
  });

  ipcMain.handle('project:set-tab-groups', async (_event: unknown, payload: { projectId: string; tabGroups: unknown[] }) => {
    const { projectId, tabGroups } = payload;
    const existingState = await projectStore.getProjectState(projectId);
    await projectStore.saveProjectState(projectId, {
//        ^ lost-update
      projectId,
      sidebarWidth: existingState?.sidebarWidth ?? 350,
      terminals: existingState?.terminals ?? [],
      tabGroups,
      focusMode: existingState?.focusMode,
    });
  });
}
