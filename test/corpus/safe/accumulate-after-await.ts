// Safe (eslint/eslint#11899, the rule's own "correct" example): the awaited value is first put
// in a local; the shared total is then read and written in one synchronous step.
declare function getPageLength(pageNum: number): Promise<number>;

export let totalLength = 0;

export async function addLengthOfSinglePage(pageNum: number): Promise<void> {
  const lengthOfThisPage = await getPageLength(pageNum);
  totalLength += lengthOfThisPage;
}

export async function countPages(pages: number[]): Promise<number> {
  await Promise.all(pages.map((p) => addLengthOfSinglePage(p)));
  return totalLength;
}
