// kizuna-ai-lab/sokuji PR #447 (review): apply the rollback only while the failed write is still
// the latest one, here while the store still holds the value this update set.
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
      if (get().participantDisplayMode === mode) set({ participantDisplayMode: previous });
    }
  },
}));
