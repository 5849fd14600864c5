// Safe: every task writes its own slot of the results array; no task reads what another writes.
declare function resize(url: string, width: number): Promise<string>;

export async function resizeAll(urls: string[], width: number): Promise<string[]> {
  const results: string[] = new Array(urls.length);
  await Promise.all(
    urls.map(async (url, i) => {
      results[i] = await resize(url, width);
    }),
  );
  return results;
}
