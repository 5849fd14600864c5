// rohitg00/agentmemory issue #14 (buggy twin): mem::observe reads the session record, stores the
// observation, then writes observationCount back as the count it read plus one. Observations of
// one session arrive concurrently (every tool hook posts one), so counts are lost.
import { KV, StateKV, generateId } from './kv';

interface IIIClient {
  registerFunction(id: string, handler: (payload: any) => Promise<unknown>): void;
}

export function registerObserveFunction(sdk: IIIClient, kv: StateKV): void {
  sdk.registerFunction('mem::observe', async (payload: { sessionId: string; hookType: string; data: unknown }) => {
    const obsId = generateId('obs');
    const session = await kv.get<{ observationCount?: number; status?: string }>(KV.sessions, payload.sessionId);

    await kv.set(KV.observations(payload.sessionId), obsId, {
      id: obsId,
      sessionId: payload.sessionId,
      hookType: payload.hookType,
      raw: payload.data,
    });

    if (session) {
      await kv.update(KV.sessions, payload.sessionId, [
//          ^ lost-update
        { type: 'set', path: 'updatedAt', value: new Date().toISOString() },
        { type: 'set', path: 'observationCount', value: (session.observationCount || 0) + 1 },
      ]);
    }
    return { observationId: obsId };
  });
}
