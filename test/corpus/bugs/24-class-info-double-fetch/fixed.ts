// Fix: cache the promise, assigned before anything is awaited, so later calls share the one
// request.
interface ProjectInfo {
  id: string;
  name: string;
  total_datum_in_project: number;
}

declare function apiCall(path: string): Promise<ProjectInfo>;

export class AtlasProject {
  private _info: Promise<ProjectInfo> | undefined;

  constructor(readonly id: string) {}

  info(): Promise<ProjectInfo> {
    this._info ??= apiCall(`/v1/project/${this.id}`);
    return this._info;
  }

  async summary(): Promise<string> {
    const [info, again] = await Promise.all([this.info(), this.info()]);
    return `${info.name}: ${again.total_datum_in_project} points`;
  }
}
