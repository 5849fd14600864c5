// Fix: the read-modify-save of one case runs under a lock for that docket number, so a second
// interactor reads the case only after the first one saved it.
import { Mutex } from 'async-mutex';

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

const caseLocks = new Map<string, Mutex>();

function lockFor(docketNumber: string): Mutex {
  let lock = caseLocks.get(docketNumber);
  if (!lock) caseLocks.set(docketNumber, (lock = new Mutex()));
  return lock;
}

export async function fileAndServeDocumentInteractor(docketNumber: string, entry: DocketEntry): Promise<void> {
  await generateCoversheet(entry);
  await lockFor(docketNumber).runExclusive(async () => {
    const caseRecord = await getCaseByDocketNumber(docketNumber);
    caseRecord.docketEntries.push({ ...entry, servedAt: new Date().toISOString() });
    await updateCaseAndAssociations(caseRecord);
  });
}

export async function serveBatch(docketNumber: string, entries: DocketEntry[]): Promise<void> {
  await Promise.all(entries.map((entry) => fileAndServeDocumentInteractor(docketNumber, entry)));
}
