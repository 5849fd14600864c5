// kizuna-ai-lab/sokuji PR #447 (review): a settings store sets the new value at once and rolls
// back to the value read before persisting when persisting fails. Two overlapping updates: the
// earlier one fails after the later one succeeded, and its rollback overwrites the newer value
// in memory while storage keeps it.
import { create } from 'zustand';

type DisplayMode = 'both' | 'source' | 'translation';
interface SettingsState {
  participantDisplayMode: DisplayMode;
  setParticipantDisplayMode(mode: DisplayMode): Promise<void>;
}
declare function persistSetting(key: string, value: unknown): Promise<boolean>;

export const useSettingsStore = create<SettingsState>((set, get) => ({
  participantDisplayMode: 'both',
  setParticipantDisplayMode: async (mode) => {
    const previous = get().participantDisplayMode;
    set({ participantDisplayMode: mode });
    if (!(await persistSetting('settings.common.participantDisplayMode', mode))) {
      set({ participantDisplayMode: previous });
//    ^ lost-update
    }
  },
}));
