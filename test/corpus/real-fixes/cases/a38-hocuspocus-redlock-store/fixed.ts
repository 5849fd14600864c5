// ueberdosis/hocuspocus PR #958 "redlock release race condition" (reduction, fixed)
import Redlock, { type Lock } from '@sesamecare-oss/redlock';
import RedisClient from 'ioredis';

interface onStoreDocumentPayload { documentName: string; document: { encodeState(): Uint8Array } }

export class Redis {
  private pub: RedisClient;
  private redlock: Redlock;
  private locks = new Map<string, { lock: Lock; release?: Promise<void> }>();

  constructor(private configuration: { lockTimeout: number; prefix: string }, private persist: (name: string, state: Uint8Array) => Promise<void>) {
    this.pub = new RedisClient();
    this.redlock = new Redlock([this.pub], { retryCount: 0 });
  }

  private lockKey(documentName: string) {
    return `${this.configuration.prefix}:${documentName}:lock`;
  }

  async onStoreDocument({ documentName, document }: onStoreDocumentPayload) {
    // Only the instance holding the lock stores the document; the others skip this round.
    const resource = this.lockKey(documentName);
    let lock: Lock;
    try {
      lock = await this.redlock.acquire([resource], this.configuration.lockTimeout);
    } catch {
      return;
    }
    this.locks.set(resource, { lock });
    try {
      await this.persist(documentName, document.encodeState());
    } finally {
      const release = lock.release().then(() => undefined, () => undefined);
      this.locks.set(resource, { lock, release });
      await release;
      this.locks.delete(resource);
    }
  }
}
