// react/react#19903: a context carries a state pair; two components change different fields of
// the context object from async click handlers. Each spreads the value of its own render, so the
// handler that resolves last puts the other one's field back to its old value.
import { createContext, useContext, type Dispatch, type SetStateAction } from 'react';

interface Cosmic {
  name: string;
  age: number;
}
const CosmicContext = createContext<[Cosmic, Dispatch<SetStateAction<Cosmic>>]>([{ name: 'foo', age: 123 }, () => undefined]);

declare function pickName(): Promise<string>;
declare function pickAge(): Promise<number>;

export function ChangeCosmicName(): JSX.Element {
  const [cosmic, setCosmic] = useContext(CosmicContext);
  async function change() {
    const name = await pickName();
    setCosmic({ ...cosmic, name });
//  ^ lost-update
  }
  return <button onClick={change}>{cosmic.name}</button>;
}

export function ChangeCosmicAge(): JSX.Element {
  const [cosmic, setCosmic] = useContext(CosmicContext);
  async function change() {
    const age = await pickAge();
    setCosmic({ ...cosmic, age });
//  ^ lost-update
  }
  return <button onClick={change}>{cosmic.age}</button>;
}
