// module-federation/core before PR #4380 (buggy twin): init() checks `inited`, which is set only
// after the awaits, so concurrent calls each run the container's initialization.
interface RemoteEntryExports {
  init(shareScope: Record<string, unknown>, initScope: unknown[]): Promise<void> | void;
  get(expose: string): Promise<() => unknown>;
}

declare function getRemoteEntry(entry: string): Promise<RemoteEntryExports>;
declare function beforeInitContainer(name: string): Promise<void>;

export class Module {
  inited = false;
  lib: RemoteEntryExports | undefined = undefined;

  constructor(readonly name: string, readonly entry: string, private shareScope: Record<string, unknown>) {}

  async init(): Promise<RemoteEntryExports> {
    if (this.inited && this.lib) return this.lib;
    const remoteEntryExports = await getRemoteEntry(this.entry);
    await beforeInitContainer(this.name);
    await remoteEntryExports.init(this.shareScope, []);
    this.lib = remoteEntryExports;
    this.inited = true;
//  ^ check-then-act
    return remoteEntryExports;
  }

  async get(expose: string): Promise<unknown> {
    const remote = await this.init();
    const factory = await remote.get(expose);
    return factory();
  }
}
