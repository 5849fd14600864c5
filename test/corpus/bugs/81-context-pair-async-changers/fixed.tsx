// react/react#19903, as the maintainer answered: the updater form of the state setter starts
// from the current value, so neither handler overwrites the other's field.
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
    setCosmic((current) => ({ ...current, name }));
  }
  return <button onClick={change}>{cosmic.name}</button>;
}

export function ChangeCosmicAge(): JSX.Element {
  const [cosmic, setCosmic] = useContext(CosmicContext);
  async function change() {
    const age = await pickAge();
    setCosmic((current) => ({ ...current, age }));
  }
  return <button onClick={change}>{cosmic.age}</button>;
}
