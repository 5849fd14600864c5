// Safe: "latest wins". Each search takes a sequence number before awaiting and only writes its
// results if no newer search started meanwhile.
declare function search(query: string): Promise<string[]>;

let latestRequest = 0;
export let results: string[] = [];

export async function onQueryChanged(query: string): Promise<void> {
  const request = ++latestRequest;
  const found = await search(query);
  if (request !== latestRequest) return;
  results = found;
}

export function typeAhead(keystrokes: string[]): void {
  for (const q of keystrokes) void onQueryChanged(q);
}
