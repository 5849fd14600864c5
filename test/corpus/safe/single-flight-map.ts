// Safe: a single-flight map of in-flight promises, cleared when the promise settles; concurrent
// requests for one key share the request, later ones start a new one.
declare function fetchAvatar(userId: string): Promise<Blob>;

const inFlight = new Map<string, Promise<Blob>>();

export function avatar(userId: string): Promise<Blob> {
  const existing = inFlight.get(userId);
  if (existing) return existing;
  const request = fetchAvatar(userId).finally(() => inFlight.delete(userId));
  inFlight.set(userId, request);
  return request;
}

export function renderList(userIds: string[]): Promise<Blob[]> {
  return Promise.all(userIds.map((id) => avatar(id)));
}
