// redhat-developer/vscode-openshift-tools issue #1742, PR #1743 (buggy twin): the explorer's data
// lives in one OdoModel held by OdoImpl.data. getClusters()/getProjects() ask the model for the
// cached children and, on a miss, await the odo command and store the array through the model's
// setter. Concurrent calls from the tree all miss, all run odo, and each returns its own array of
// new objects: the tree holds two copies of every node.
interface OpenShiftObject {
  getName(): string;
}

class OdoModel {
  private parentToChildren: Map<OpenShiftObject, OpenShiftObject[]> = new Map();

  public setParentToChildren(parent: OpenShiftObject, children: OpenShiftObject[]): OpenShiftObject[] {
    if (!this.parentToChildren.has(parent)) {
      this.parentToChildren.set(parent, children);
    }
    return children;
  }

  public getChildrenByParent(parent: OpenShiftObject): OpenShiftObject[] | undefined {
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
      children = OdoImpl.data.setParentToChildren(OdoImpl.ROOT, await this._getClusters());
//                          ^ check-then-act
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
      projects = OdoImpl.data.setParentToChildren(clusters[0], await this._getProjects(clusters[0]));
//                          ^ check-then-act
    }
    return projects;
  }

  public async _getProjects(cluster: OpenShiftObject): Promise<OpenShiftObject[]> {
    return this.run(`odo project list --cluster ${cluster.getName()}`);
  }
}
