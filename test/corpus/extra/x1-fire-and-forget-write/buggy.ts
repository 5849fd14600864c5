// pensarai/apex PR #366 (review finding): replacing writeFileSync with a fire-and-forget
// writeFile lets several step callbacks have writes to the same file in flight; a slower,
// older write can land last and overwrite the file with stale messages.
import { writeFile } from 'node:fs/promises';

interface Message {
  role: 'user' | 'assistant' | 'tool';
  content: string;
}

export function createRecorder(messagesPath: string) {
  const messages: Message[] = [];
  return {
    onStepFinish(step: { messages: Message[] }): void {
      messages.push(...step.messages);
      writeFile(messagesPath, JSON.stringify(messages));
//    ^ floating-promise
    },
  };
}
