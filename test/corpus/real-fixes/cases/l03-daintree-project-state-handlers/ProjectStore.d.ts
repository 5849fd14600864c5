// Declaration of the project's own module this reduction imports (its body is not part of the fix).
export interface ProjectState {
  projectId: string;
  sidebarWidth: number;
  terminals: unknown[];
  tabGroups: unknown[];
  focusMode?: boolean;
}
export declare const projectStore: {
  getProjectState(projectId: string): Promise<ProjectState | null>;
  saveProjectState(projectId: string, state: ProjectState): Promise<void>;
  enqueueProjectStateUpdate(
    projectId: string,
    updater: (existing: ProjectState | null) => ProjectState | null,
  ): Promise<void>;
};
