// rohitg00/agentmemory issue #14 "non-atomic read-modify-write on session.observationCount", fixed
// in PR #68 (reduction, fixed): the whole observation write, from the session read to the count
// update, runs under a lock keyed by the session.
import { KV, StateKV, generateId, withKeyedLock } from './kv';

interface IIIClient {
  registerFunction(id: string, handler: (payload: any) => Promise<unknown>): void;
}

export function registerObserveFunction(sdk: IIIClient, kv: StateKV): void {
  sdk.registerFunction('mem::observe', async (payload: { sessionId: string; hookType: string; data: unknown }) => {
    const obsId = generateId('obs');
    return withKeyedLock(`obs:${payload.sessionId}`, async () => {
      const session = await kv.get<{ observationCount?: number; status?: string }>(KV.sessions, payload.sessionId);

      await kv.set(KV.observations(payload.sessionId), obsId, {
        id: obsId,
        sessionId: payload.sessionId,
        hookType: payload.hookType,
        raw: payload.data,
      });

      if (session) {
        await kv.update(KV.sessions, payload.sessionId, [
          { type: 'set', path: 'updatedAt', value: new Date().toISOString() },
          { type: 'set', path: 'observationCount', value: (session.observationCount || 0) + 1 },
        ]);
      }
      return { observationId: obsId };
    });
  });
}
