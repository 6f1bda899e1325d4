/** A sandbox run's output: its result, or its failure written down for CollectAgent. */
import type { SandboxOutput } from '../agent/task.js';

export async function outputOf(run: () => Promise<SandboxOutput>): Promise<SandboxOutput> {
  try {
    return await run();
  } catch (error) {
    return { status: 'failed', error: { name: (error as Error).name ?? 'Error', message: (error as Error).message ?? String(error) } };
  }
}
