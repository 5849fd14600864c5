// jackwener/OpenCLI issue #1552 fix "connect() in-flight lock" (reduction, fixed)
const DAEMON_WS_URL = 'ws://127.0.0.1:19825/ext';

let ws: WebSocket | null = null;
let currentContextId: string | null = null;
let connecting: Promise<void> | null = null;

async function getCurrentContextId(): Promise<string> {
  const { contextId } = await chrome.storage.local.get('contextId');
  return contextId ?? crypto.randomUUID();
}

function connect(): Promise<void> {
  if (connecting) return connecting;
  if (ws?.readyState === WebSocket.OPEN || ws?.readyState === WebSocket.CONNECTING) {
    return Promise.resolve();
  }
  connecting = (async () => {
    try {
      const contextId = await getCurrentContextId();
      const thisWs = new WebSocket(DAEMON_WS_URL);
      ws = thisWs;
      currentContextId = contextId;
      thisWs.onclose = () => {
        if (ws === thisWs) ws = null;
        scheduleReconnect();
      };
      thisWs.onmessage = (ev) => handleMessage(thisWs, ev.data);
    } finally {
      connecting = null;
    }
  })();
  return connecting;
}

function scheduleReconnect() {
  setTimeout(() => void connect(), 2_000);
}

function handleMessage(from: WebSocket, data: string) {
  if (from !== ws) return;
  console.log('[opencli]', currentContextId, data);
}

chrome.alarms.create('keepalive', { periodInMinutes: 0.4 });
chrome.alarms.onAlarm.addListener(() => void connect());
void connect();
