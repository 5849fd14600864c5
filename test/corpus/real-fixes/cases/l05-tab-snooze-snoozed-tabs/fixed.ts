// csandapp/tab-snooze-extension-continued PR #40 "fix(storage): eliminate popup <-> service worker
// race condition on snoozedTabs" (reduction, fixed): the read-modify-write moves into
// addSnoozedTabs/removeSnoozedTabs, which run one at a time on a promise-chain mutex;
// saveSnoozedTabs is no longer exported.
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

function saveSnoozedTabs(snoozedTabs: SnoozedTab[]): Promise<void> {
  const KV2save: Record<string, unknown> = { [STORAGE_KEY_TAB_COUNT]: snoozedTabs.length };
  for (let i = 0; i < snoozedTabs.length; i++) KV2save['tab' + i] = snoozedTabs[i];
  return chromep.storage.local.set(KV2save);
}

let snoozedTabMutex: Promise<unknown> = Promise.resolve();

function withSnoozedTabs<T>(fn: () => Promise<T>): Promise<T> {
  const run = snoozedTabMutex.then(fn);
  snoozedTabMutex = run.catch(() => undefined);
  return run;
}

const areTabsEqual = (a: SnoozedTab, b: SnoozedTab) => a.url === b.url && a.when === b.when;

export function addSnoozedTabs(tabsToAdd: SnoozedTab[]): Promise<void> {
  return withSnoozedTabs(async () => {
    const tabs = await getSnoozedTabs();
    const fresh = tabsToAdd.filter((t) => !tabs.some((s) => areTabsEqual(s, t)));
    await saveSnoozedTabs([...tabs, ...fresh]);
  });
}

export function removeSnoozedTabs(tabsToRemove: SnoozedTab[]): Promise<void> {
  return withSnoozedTabs(async () => {
    const tabs = await getSnoozedTabs();
    await saveSnoozedTabs(tabs.filter((s) => !tabsToRemove.some((t) => areTabsEqual(s, t))));
  });
}

export async function snoozeTab(tab: { id: number; url: string; title: string }, when: number): Promise<void> {
  await addSnoozedTabs([{ url: tab.url, title: tab.title, when }]);
  await chromep.tabs.remove(tab.id);
}

export async function wakeupReadyTabs(): Promise<void> {
  const snoozedTabs = await getSnoozedTabs();
  const now = Date.now();
  const ready = snoozedTabs.filter((t) => t.when <= now);
  await Promise.all(ready.map((t) => chromep.tabs.create({ url: t.url, active: false })));
  await removeSnoozedTabs(ready);
}

chrome.alarms.onAlarm.addListener(() => {
  wakeupReadyTabs();
});
chrome.runtime.onMessage.addListener((msg: { type: string; tab: any; when: number }) => {
  if (msg.type === 'snooze') snoozeTab(msg.tab, msg.when);
});
