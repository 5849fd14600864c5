// Safe: `total` is a local of one call; only the task running this call reads and writes it,
// so reading it before an await and writing after cannot lose another task's update.
declare function getPageLength(pageNum: number): Promise<number>;

export async function totalLength(pages: number[]): Promise<number> {
  let total = 0;
  for (const page of pages) {
    total += await getPageLength(page);
  }
  return total;
}

export async function report(books: number[][]): Promise<number[]> {
  return Promise.all(books.map((pages) => totalLength(pages)));
}
