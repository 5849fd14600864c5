// module-federation/core PR #4380 "dedupe concurrent Module.init() calls" (reduction, fixed):
// the first init() stores its in-flight promise; concurrent calls return it, and the
// initing flag and promise are cleared once it settles.
interface RemoteEntryExports {
  init(shareScope: Record<string, unknown>, initScope: unknown[]): Promise<void> | void;
  get(expose: string): Promise<() => unknown>;
}

declare function getRemoteEntry(entry: string): Promise<RemoteEntryExports>;
declare function beforeInitContainer(name: string): Promise<void>;

export class Module {
  inited = false;
  initing = false;
  initPromise?: Promise<RemoteEntryExports>;
  lib: RemoteEntryExports | undefined = undefined;

  constructor(readonly name: string, readonly entry: string, private shareScope: Record<string, unknown>) {}

  async init(): Promise<RemoteEntryExports> {
    if (this.inited && this.lib) return this.lib;
    if (this.initPromise) return this.initPromise;

    this.initing = true;
    this.initPromise = (async () => {
      const remoteEntryExports = await getRemoteEntry(this.entry);
      await beforeInitContainer(this.name);
      await remoteEntryExports.init(this.shareScope, []);
      this.lib = remoteEntryExports;
      this.inited = true;
      return remoteEntryExports;
    })();

    try {
      return await this.initPromise;
    } finally {
      this.initing = false;
      this.initPromise = undefined;
    }
  }

  async get(expose: string): Promise<unknown> {
    const remote = await this.init();
    const factory = await remote.get(expose);
    return factory();
  }
}
