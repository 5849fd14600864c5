// eggjs/tegg PR #336 ("fix: concurrent init"): ContextInitiator.init(obj) records the object in a
// WeakMap before awaiting the creation of the context objects it depends on. A second
// concurrent init(obj) for the same object sees the record, returns at once, and
// getOrCreateEggObject hands the object out before its dependencies exist.
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

  async init(obj: EggObject): Promise<void> {
    if (this.initRecorder.get(obj) === true) {
      return;
//    ^ check-then-act
    }
    this.initRecorder.set(obj, true);
    await Promise.all(obj.proto.dependencies.map((proto) => createEggObject(proto)));
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
