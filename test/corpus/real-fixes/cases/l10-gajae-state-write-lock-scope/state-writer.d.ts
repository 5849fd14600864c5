// Declaration of the project's own module this reduction imports (its body is not part of the fix).
export interface WorkflowEnvelope {
  revision: number;
  state: Record<string, unknown>;
}
export declare function withWorkflowStateLock<T>(path: string, fn: () => Promise<T>): Promise<T>;
