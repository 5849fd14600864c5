// Safe: hook setters after an await that do not write back the render's snapshot: an updater,
// a value that does not come from the snapshot, and a synchronous handler.
import { createContext, useContext, useState, type Dispatch, type SetStateAction } from 'react';

interface Prefs {
  theme: string;
  lang: string;
}
const PrefsContext = createContext<[Prefs, Dispatch<SetStateAction<Prefs>>]>([{ theme: 'light', lang: 'en' }, () => undefined]);
declare function loadPrefs(): Promise<Prefs>;
declare function saveTheme(theme: string): Promise<void>;

export function PrefsPanel(): JSX.Element {
  const [prefs, setPrefs] = useContext(PrefsContext);
  const [status, setStatus] = useState('idle');
  async function reload() {
    const loaded = await loadPrefs();
    setPrefs(loaded);
    setStatus('loaded');
  }
  async function pickTheme(theme: string) {
    await saveTheme(theme);
    setPrefs((current) => ({ ...current, theme }));
  }
  function pickLang(lang: string) {
    setPrefs({ ...prefs, lang });
  }
  return <div onClick={reload} onDoubleClick={() => pickTheme('dark')} onKeyDown={() => pickLang('fr')}>{status}</div>;
}
