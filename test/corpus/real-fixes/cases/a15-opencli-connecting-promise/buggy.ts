// jackwener/OpenCLI issue #1552, before the fix (buggy twin): the readyState guard is read before the await
const DAEMON_WS_URL = 'ws://127.0.0.1:19825/ext';

let ws: WebSocket | null = null;
let currentContextId: string | null = null;

async function getCurrentContextId(): Promise<string> {
  const { contextId } = await chrome.storage.local.get('contextId');
  return contextId ?? crypto.randomUUID();
}

async function connect(): Promise<void> {
  if (ws?.readyState === WebSocket.OPEN || ws?.readyState === WebSocket.CONNECTING) return;
  const contextId = await getCurrentContextId();
  ws = new WebSocket(DAEMON_WS_URL);
//^ check-then-act
  currentContextId = contextId;
  ws.onclose = () => {
    ws = null;
    setTimeout(() => void connect(), 2_000);
  };
}

chrome.alarms.create('keepalive', { periodInMinutes: 0.4 });
chrome.alarms.onAlarm.addListener(() => void connect());
void connect();
