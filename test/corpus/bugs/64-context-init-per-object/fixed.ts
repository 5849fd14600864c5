// Fix (the project's): the init promise is kept per object too, and a second caller awaits it
// before returning.
interface EggPrototype {
  name: string;
  dependencies: EggPrototype[];
}
interface EggObject {
  proto: EggPrototype;
}
declare function createEggObject(proto: EggPrototype): Promise<EggObject>;

export class ContextInitiator {
  private readonly initRecorder = new WeakMap<EggObject, boolean>();
  private readonly initPromise = new WeakMap<EggObject, Promise<EggObject[]>>();

  async init(obj: EggObject): Promise<void> {
    if (this.initRecorder.get(obj) === true) {
      if (this.initPromise.has(obj)) {
        await this.initPromise.get(obj);
      }
      return;
    }
    this.initRecorder.set(obj, true);
    const pending = Promise.all(obj.proto.dependencies.map((proto) => createEggObject(proto)));
    this.initPromise.set(obj, pending);
    await pending;
    this.initPromise.delete(obj);
  }
}

export class EggContainer {
  private readonly initiator = new ContextInitiator();

  async getOrCreateEggObject(proto: EggPrototype): Promise<EggObject> {
    const obj = await createEggObject(proto);
    await this.initiator.init(obj);
    return obj;
  }
}
