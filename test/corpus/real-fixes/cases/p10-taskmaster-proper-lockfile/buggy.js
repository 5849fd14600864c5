// eyaltoledano/claude-task-master PR #1566 (buggy twin): two task-master processes (or two MCP
// calls) read tasks.json, each changes one task, and the later write loses the other's change.
import fs from 'node:fs';

async function readJSONRaw(filepath) {
  return JSON.parse(await fs.promises.readFile(filepath, 'utf8'));
}

export async function setTaskStatus(filepath, tag, taskId, status) {
  const data = await readJSONRaw(filepath);
  const task = data[tag]?.tasks?.find((t) => t.id === taskId);
  if (!task) throw new Error(`Task ${taskId} not found in tag ${tag}`);
  task.status = status;
  await fs.promises.writeFile(filepath, JSON.stringify(data, null, 2), 'utf8');
  //    ^ lost-update
  return task;
}
