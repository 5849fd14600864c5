// vitalets/global-cache issue #6, fixed in 6c9a10d: the key is claimed for computing in one
// synchronous step of the memory storage (has, then set); a caller that loses the claim waits.
import express from 'express';

type ValueInfo = {
  key: string;
  state: 'computing' | 'computed' | 'error';
  sig: string;
  persistent?: boolean;
  value?: unknown;
  computedAt?: number;
};

type GetterResult = { result: 'cache-miss' | 'cache-hit' | 'error'; valueInfo?: ValueInfo; message?: string };

export class MemoryStorage {
  private values = new Map<string, ValueInfo>();
  private listeners = new Map<string, Array<(v: ValueInfo) => void>>();

  async load(key: string) {
    return this.values.get(key);
  }

  async save(valueInfo: ValueInfo, { notify = false } = {}) {
    this.values.set(valueInfo.key, valueInfo);
    if (notify) this.listeners.get(valueInfo.key)?.forEach((resolve) => resolve(valueInfo));
  }

  claimForComputing(valueInfo: ValueInfo): boolean {
    if (this.values.has(valueInfo.key)) return false;
    this.values.set(valueInfo.key, valueInfo);
    return true;
  }

  async waitForComputed(key: string) {
    const existing = this.values.get(key);
    if (existing && existing.state !== 'computing') return existing;

    return new Promise<ValueInfo>((resolve) => {
      const listeners = this.listeners.get(key) || [];
      listeners.push(resolve);
      this.listeners.set(key, listeners);
    });
  }
}

export class FsStorage {
  constructor(private dir: string) {}
  async load(key: string): Promise<ValueInfo | undefined> {
    const fs = await import('node:fs/promises');
    const text = await fs.readFile(`${this.dir}/${key}.json`, 'utf8').catch(() => '');
    return text ? (JSON.parse(text) as ValueInfo) : undefined;
  }
}

export class Getter {
  constructor(
    private testRunStorage: MemoryStorage,
    private persistentStorage: FsStorage,
  ) {}

  async get(key: string, sig: string, ttl?: number): Promise<GetterResult> {
    let valueInfo = await this.testRunStorage.load(key);

    if (valueInfo?.state === 'computing') {
      valueInfo = await this.testRunStorage.waitForComputed(key);
      return valueInfo.state === 'computed' ? { result: 'cache-hit', valueInfo } : { result: 'error' };
    }

    // load from persistent storage
    if (!valueInfo && ttl) {
      valueInfo = await this.persistentStorage.load(key);
    }

    if (valueInfo?.state === 'computed') {
      return { result: 'cache-hit', valueInfo };
    }

    if (!valueInfo) {
      return this.handleNoValue(key, sig, ttl);
    }

    return { result: 'cache-miss', message: `old state: ${valueInfo.state}` };
  }

  private async handleNoValue(key: string, sig: string, ttl?: number): Promise<GetterResult> {
    const valueInfo: ValueInfo = { key, state: 'computing', sig, persistent: Boolean(ttl) };
    const claimed = this.testRunStorage.claimForComputing(valueInfo);
    if (!claimed) {
      const resolved = await this.testRunStorage.waitForComputed(key);
      return resolved.state === 'computed' ? { result: 'cache-hit', valueInfo: resolved } : { result: 'error' };
    }
    return { result: 'cache-miss', message: 'no cached value' };
  }
}

const runs = new Map<string, { testRunStorage: MemoryStorage; persistentStorage: FsStorage }>();

function getStorage(runId: string) {
  let storage = runs.get(runId);
  if (!storage) {
    storage = { testRunStorage: new MemoryStorage(), persistentStorage: new FsStorage('.global-cache') };
    runs.set(runId, storage);
  }
  return storage;
}

export const router = express.Router();

router.get('/run/:runId/get', async (req: any, res: any) => {
  const { key, sig, ttl } = req.query as { key: string; sig: string; ttl?: string };
  const { testRunStorage, persistentStorage } = getStorage(req.params.runId);
  const getter = new Getter(testRunStorage, persistentStorage);
  res.json(await getter.get(key, sig, ttl ? Number(ttl) : undefined));
});
