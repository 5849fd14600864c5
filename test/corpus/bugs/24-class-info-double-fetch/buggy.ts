// nomic-ai/ts-nomic#21 "Double calls should not dispatch two fetch requests": the project class
// cached fetched info in a `_info` property, so two calls made before the first fetch finished
// both fetched and both assigned. The fix caches promises instead.
interface ProjectInfo {
  id: string;
  name: string;
  total_datum_in_project: number;
}

declare function apiCall(path: string): Promise<ProjectInfo>;

export class AtlasProject {
  private _info: ProjectInfo | undefined;

  constructor(readonly id: string) {}

  async info(): Promise<ProjectInfo> {
    if (this._info !== undefined) return this._info;
    const info = await apiCall(`/v1/project/${this.id}`);
    this._info = info;
//  ^ check-then-act
    return info;
  }

  async summary(): Promise<string> {
    const [info, again] = await Promise.all([this.info(), this.info()]);
    return `${info.name}: ${again.total_datum_in_project} points`;
  }
}
