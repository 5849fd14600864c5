// deathandmayhem/jolly-roger PR #508 "Fix potential race in lock acquisition" (reduction, fixed)
import { Meteor } from 'meteor/meteor';
import Locks from './models/Locks';

const PREEMPTION_TIMEOUT = 10_000;

// A unique index on `name` makes insertAsync the claim: only one server wins.
async function tryAcquire(name: string): Promise<string | undefined> {
  try {
    return await Locks.insertAsync({ name, renewedAt: new Date() });
  } catch (e) {
    if (e instanceof Error && /E11000/.test(e.message)) return undefined;
    throw e;
  }
}

async function preemptStale(name: string) {
  // Delete only the exact stale document we saw: a fresh lock by another server survives.
  const stale = await Locks.findOneAsync({ name, renewedAt: { $lt: new Date(Date.now() - PREEMPTION_TIMEOUT) } });
  if (stale) await Locks.removeAsync({ _id: stale._id, renewedAt: stale.renewedAt });
}

export default async function withLock<T>(name: string, critSection: (id: string) => Promise<T>): Promise<T> {
  let id: string | undefined;
  for (;;) {
    id = await tryAcquire(name);
    if (id) break;
    await preemptStale(name);
    await new Promise((r) => Meteor.setTimeout(r, 100));
  }
  const renew = Meteor.setInterval(() => {
    void Locks.updateAsync({ _id: id }, { $set: { renewedAt: new Date() } });
  }, PREEMPTION_TIMEOUT / 2);
  try {
    return await critSection(id);
  } finally {
    Meteor.clearInterval(renew);
    await Locks.removeAsync({ _id: id });
  }
}
