// csandapp/tab-snooze-extension-continued PR #40 (buggy twin): the popup's snooze and the service
// worker's alarm both do getSnoozedTabs() -> change the list -> saveSnoozedTabs(list). A tab
// snoozed while the alarm wakes others is dropped when the alarm writes back its older list.
import chromep from 'chrome-promise';

declare var chrome: any;

export interface SnoozedTab {
  url: string;
  title: string;
  when: number;
}

const STORAGE_KEY_TAB_COUNT = 'tabsCount';

export async function getSnoozedTabs(): Promise<SnoozedTab[]> {
  const allStorage = await chromep.storage.local.get();
  const snoozedTabs: SnoozedTab[] = [];
  const tabsCount = allStorage[STORAGE_KEY_TAB_COUNT] || 0;
  for (let i = 0; i < tabsCount; i++) snoozedTabs.push(allStorage['tab' + i]);
  return snoozedTabs;
}

export function saveSnoozedTabs(snoozedTabs: SnoozedTab[]): Promise<void> {
  const KV2save: Record<string, unknown> = { [STORAGE_KEY_TAB_COUNT]: snoozedTabs.length };
  for (let i = 0; i < snoozedTabs.length; i++) KV2save['tab' + i] = snoozedTabs[i];
  return chromep.storage.local.set(KV2save);
}

export async function snoozeTab(tab: { id: number; url: string; title: string }, when: number): Promise<void> {
  const snoozedTabs = await getSnoozedTabs();
  snoozedTabs.push({ url: tab.url, title: tab.title, when });
  await saveSnoozedTabs(snoozedTabs);
//      ^ lost-update
  await chromep.tabs.remove(tab.id);
}

export async function wakeupReadyTabs(): Promise<void> {
  const snoozedTabs = await getSnoozedTabs();
  const now = Date.now();
  const ready = snoozedTabs.filter((t) => t.when <= now);
  const sleeping = snoozedTabs.filter((t) => t.when > now);
  await Promise.all(ready.map((t) => chromep.tabs.create({ url: t.url, active: false })));
  await saveSnoozedTabs(sleeping);
//      ^ lost-update
}

chrome.alarms.onAlarm.addListener(() => {
  wakeupReadyTabs();
});
chrome.runtime.onMessage.addListener((msg: { type: string; tab: any; when: number }) => {
  if (msg.type === 'snooze') snoozeTab(msg.tab, msg.when);
});
