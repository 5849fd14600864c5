// ustaxcourt/ef-cms-flexion#9739 (updateCaseAndAssociations race): an interactor loads the
// case, changes its copy and saves the whole case; two interactors on the same docket number
// overwrite each other's docket entries.
interface DocketEntry {
  id: string;
  title: string;
  servedAt?: string;
}
interface CaseRecord {
  docketNumber: string;
  docketEntries: DocketEntry[];
}

declare function getCaseByDocketNumber(docketNumber: string): Promise<CaseRecord>;
declare function generateCoversheet(entry: DocketEntry): Promise<void>;
declare function updateCaseAndAssociations(caseToUpdate: CaseRecord): Promise<void>;

export async function fileAndServeDocumentInteractor(docketNumber: string, entry: DocketEntry): Promise<void> {
  const caseRecord = await getCaseByDocketNumber(docketNumber);
  await generateCoversheet(entry);
  caseRecord.docketEntries.push({ ...entry, servedAt: new Date().toISOString() });
  await updateCaseAndAssociations(caseRecord);
//      ^ lost-update
}

export async function serveBatch(docketNumber: string, entries: DocketEntry[]): Promise<void> {
  await Promise.all(entries.map((entry) => fileAndServeDocumentInteractor(docketNumber, entry)));
}
