// Safe: a hand-written lock. Each operation is chained after the previous one, so the
// read-modify-write of the shared map never overlaps another.
declare function loadScores(): Promise<Map<string, number>>;
declare function saveScores(scores: Map<string, number>): Promise<void>;

let tail: Promise<unknown> = Promise.resolve();

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task);
  tail = run.catch(() => undefined);
  return run;
}

export function addPoints(player: string, points: number): Promise<void> {
  return serialized(async () => {
    const scores = await loadScores();
    scores.set(player, (scores.get(player) ?? 0) + points);
    await saveScores(scores);
  });
}

export async function applyRound(results: Array<[string, number]>): Promise<void> {
  await Promise.all(results.map(([player, points]) => addPoints(player, points)));
}
