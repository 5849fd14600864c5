// redhat-developer/vscode-openshift-tools PR #1743 (fixed): the model caches the promise of the
// children, stored before the odo command has answered; concurrent calls find that promise and
// await the same array.
interface OpenShiftObject {
  getName(): string;
}

class OdoModel {
  private parentToChildren: Map<OpenShiftObject, Promise<OpenShiftObject[]>> = new Map();

  public setParentToChildren(parent: OpenShiftObject, children: Promise<OpenShiftObject[]>): Promise<OpenShiftObject[]> {
    if (!this.parentToChildren.has(parent)) {
      this.parentToChildren.set(parent, children);
    }
    return children;
  }

  public getChildrenByParent(parent: OpenShiftObject): Promise<OpenShiftObject[]> | undefined {
    return this.parentToChildren.get(parent);
  }
}

export class OdoImpl {
  public static data: OdoModel = new OdoModel();

  public static readonly ROOT: OpenShiftObject = { getName: () => '/' };

  constructor(private readonly run: (command: string) => Promise<OpenShiftObject[]>) {}

  async getClusters(): Promise<OpenShiftObject[]> {
    let children = OdoImpl.data.getChildrenByParent(OdoImpl.ROOT);
    if (!children) {
      children = OdoImpl.data.setParentToChildren(OdoImpl.ROOT, this._getClusters());
    }
    return children;
  }

  public async _getClusters(): Promise<OpenShiftObject[]> {
    return this.run('odo version');
  }

  async getProjects(): Promise<OpenShiftObject[]> {
    const clusters = await this.getClusters();
    let projects = OdoImpl.data.getChildrenByParent(clusters[0]);
    if (!projects) {
      projects = OdoImpl.data.setParentToChildren(clusters[0], this._getProjects(clusters[0]));
    }
    return projects;
  }

  public async _getProjects(cluster: OpenShiftObject): Promise<OpenShiftObject[]> {
    return this.run(`odo project list --cluster ${cluster.getName()}`);
  }
}
