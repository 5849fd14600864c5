// h0x91b/dev-3.0 PR #153: every mutator loads tasks.json, changes the array and saves it; when
// two windows (or the CLI and the UI) change tasks at once, the later save drops the other change.
import { readFile, rename, writeFile } from 'node:fs/promises';

interface Task {
  id: string;
  title: string;
  column: 'todo' | 'doing' | 'done';
}

const TASKS_FILE = '/var/lib/dev3/tasks.json';

async function loadTasks(): Promise<Task[]> {
  return JSON.parse(await readFile(TASKS_FILE, 'utf8')) as Task[];
}

async function saveTasks(tasks: Task[]): Promise<void> {
  await writeFile(`${TASKS_FILE}.tmp`, JSON.stringify(tasks, null, 2));
  await rename(`${TASKS_FILE}.tmp`, TASKS_FILE);
}

export async function addTask(task: Task): Promise<void> {
  const tasks = await loadTasks();
  tasks.push(task);
  await saveTasks(tasks);
//      ^ lost-update
}

export async function moveTask(id: string, column: Task['column']): Promise<void> {
  const tasks = await loadTasks();
  const next = tasks.map((t) => (t.id === id ? { ...t, column } : t));
  await saveTasks(next);
//      ^ lost-update
}
