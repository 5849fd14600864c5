export declare const db: any;
export declare const schema: {
  githubRepositoryAutomationSettings: {
    githubInstallationRepositoryId: unknown;
    configVersion: unknown;
    settings: unknown;
    nextRunAt: unknown;
  };
};
