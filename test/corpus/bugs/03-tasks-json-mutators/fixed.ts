// Fix: all mutators serialize their load-change-save through one lock (the project used an
// mkdir-based file lock, which also covers other processes; an in-process mutex has the same shape).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Mutex } from 'async-mutex';

interface Task {
  id: string;
  title: string;
  column: 'todo' | 'doing' | 'done';
}

const TASKS_FILE = '/var/lib/dev3/tasks.json';
const tasksLock = new Mutex();

async function loadTasks(): Promise<Task[]> {
  return JSON.parse(await readFile(TASKS_FILE, 'utf8')) as Task[];
}

async function saveTasks(tasks: Task[]): Promise<void> {
  await writeFile(`${TASKS_FILE}.tmp`, JSON.stringify(tasks, null, 2));
  await rename(`${TASKS_FILE}.tmp`, TASKS_FILE);
}

export function addTask(task: Task): Promise<void> {
  return tasksLock.runExclusive(async () => {
    const tasks = await loadTasks();
    tasks.push(task);
    await saveTasks(tasks);
  });
}

export function moveTask(id: string, column: Task['column']): Promise<void> {
  return tasksLock.runExclusive(async () => {
    const tasks = await loadTasks();
    await saveTasks(tasks.map((t) => (t.id === id ? { ...t, column } : t)));
  });
}
