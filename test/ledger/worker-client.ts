/** Parent side of fixtures/ledger-worker.ts: spawn a real Node process and talk to it over IPC. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message, Request } from './fixtures/ledger-worker.js';

const WORKER = fileURLToPath(new URL('./fixtures/ledger-worker.ts', import.meta.url));
// `--import tsx` resolves from the working directory: the repository root holds node_modules.
const ROOT = path.resolve(path.dirname(WORKER), '../../..');

/** `Omit` applied to each member of a union, so each request keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A request without its id, which the client assigns. */
type RequestBody = DistributiveOmit<Request, 'id'>;

export interface Worker {
  readonly child: ChildProcess;
  /** Send a request and resolve with its result; rejects with the worker's error and stderr. */
  request<T>(body: RequestBody): Promise<T>;
  /** Resolve with the first message (already received or future) that matches. */
  waitFor(match: (message: Message) => boolean): Promise<Message>;
  /** Every message received so far, oldest first. */
  readonly messages: readonly Message[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawn a worker on `ledgerPath` and resolve once it has booted (it has not opened the ledger yet). */
export async function startWorker(ledgerPath: string): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ledgerPath], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const messages: Message[] = [];
  const waiters = new Set<{ match: (m: Message) => boolean; resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;

  child.on('message', (message: Message) => {
    messages.push(message);
    if (message.type === 'response') {
      const request = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) request?.resolve(message.result);
      else request?.reject(new Error(`worker ${child.pid}: ${message.error}\n${stderr}`));
    }
    for (const waiter of waiters) {
      if (waiter.match(message)) {
        waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  });

  // Settle on exit once the IPC channel is closed too, so every message the child sent has arrived
  // ('close' is no use: tsx's esbuild grandchild can keep the stderr pipe open).
  const channelClosed = new Promise<void>((resolve) => child.once('disconnect', resolve));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      void channelClosed.then(() => {
        const error = new Error(`worker ${child.pid} exited (code ${code}, signal ${signal})\n${stderr}`);
        for (const request of pending.values()) request.reject(error);
        for (const waiter of waiters) waiter.reject(error);
        pending.clear();
        waiters.clear();
        resolve({ code, signal });
      });
    });
  });

  const worker: Worker = {
    child,
    messages,
    exited,
    request<T>(body: RequestBody): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ ...body, id });
      });
    },
    waitFor(match) {
      const seen = messages.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(new Error(`worker ${child.pid} already exited\n${stderr}`));
      }
      return new Promise((resolve, reject) => waiters.add({ match, resolve, reject }));
    },
  };
  await worker.waitFor((m) => m.type === 'booted');
  return worker;
}

/** End a worker: disconnect for a graceful exit, SIGKILL if it is still there after a while. */
export async function stopWorker(worker: Worker): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  if (worker.child.connected) worker.child.disconnect();
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 5_000);
  await worker.exited;
  clearTimeout(timer);
}
