/** Runs fit tasks off the main thread, so a signal handler always gets its turn. */
import { parentPort } from 'node:worker_threads';
import { runCrossValidate, runFit, type Task } from './fit-task.js';

export interface TaskRequest {
  id: number;
  task: Task;
}

export type TaskReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

parentPort?.on('message', ({ id, task }: TaskRequest) => {
  let reply: TaskReply;
  try {
    const value = task.kind === 'fit' ? runFit(task) : runCrossValidate(task);
    reply = { id, ok: true, value };
  } catch (error) {
    reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
