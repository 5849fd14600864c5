// Stub of React: the state and context hooks, and enough JSX for intrinsic elements.
export type SetStateAction<S> = S | ((prev: S) => S);
export type Dispatch<A> = (value: A) => void;
export function useState<S>(initial: S | (() => S)): [S, Dispatch<SetStateAction<S>>];
export interface Context<T> {
  readonly displayName?: string;
  readonly defaultValue: T;
}
export function createContext<T>(defaultValue: T): Context<T>;
export function useContext<T>(context: Context<T>): T;
export function useRef<T>(initial: T): { current: T };

declare global {
  namespace JSX {
    type Element = unknown;
    interface IntrinsicElements {
      [name: string]: Record<string, unknown>;
    }
  }
}
