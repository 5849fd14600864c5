// twentyhq/twenty PR #19530 (review): the aggregate operation of a table column is set at once
// and, when the request fails, put back to the value from before it. With two choices in flight,
// a failed first request rolls the footer back over the second, successful choice.
import { atom, useRecoilState } from 'recoil';

type Operation = 'count' | 'sum' | 'avg' | null;
const aggregateOperationState = atom<Operation>({ key: 'aggregateOperation', default: null });
declare function saveAggregateOperation(fieldId: string, op: Operation): Promise<{ status: 'ok' | 'failed' }>;

export function AggregateFooter(props: { fieldId: string }): JSX.Element {
  const [operation, setOperation] = useRecoilState(aggregateOperationState);
  async function choose(next: Operation) {
    const previous = operation;
    setOperation(next);
    const result = await saveAggregateOperation(props.fieldId, next);
    if (result.status === 'failed') setOperation(previous);
//                                  ^ lost-update
  }
  return <select value={operation ?? ''} onChange={() => choose('sum')} />;
}
