// twentyhq/twenty PR #19530: roll back only when no newer choice replaced this one (here with the
// setter's updater form, which sees the current value).
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
    if (result.status === 'failed') setOperation((current) => (current === next ? previous : current));
  }
  return <select value={operation ?? ''} onChange={() => choose('sum')} />;
}
