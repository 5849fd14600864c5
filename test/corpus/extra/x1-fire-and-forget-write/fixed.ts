// Fix: chain the writes so they land in order, each with the newest snapshot, and surface
// write errors instead of dropping them.
import { writeFile } from 'node:fs/promises';

interface Message {
  role: 'user' | 'assistant' | 'tool';
  content: string;
}

export function createRecorder(messagesPath: string) {
  const messages: Message[] = [];
  let writes: Promise<void> = Promise.resolve();
  return {
    onStepFinish(step: { messages: Message[] }): Promise<void> {
      messages.push(...step.messages);
      const snapshot = JSON.stringify(messages);
      writes = writes.catch(() => undefined).then(() => writeFile(messagesPath, snapshot));
      return writes;
    },
  };
}
