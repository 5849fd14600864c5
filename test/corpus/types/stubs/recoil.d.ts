// Stub of Recoil: an atom and the hook that reads it with its setter.
export interface RecoilState<T> {
  readonly key: string;
  readonly default: T;
}
export type SetterOrUpdater<T> = (valOrUpdater: ((currVal: T) => T) | T) => void;
export function atom<T>(options: { key: string; default: T }): RecoilState<T>;
export function useRecoilState<T>(state: RecoilState<T>): [T, SetterOrUpdater<T>];
