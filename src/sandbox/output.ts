/** A sandbox run's output: its result, or its failure written down for the task that collects it. */

export type SandboxFailure = { readonly status: 'failed'; readonly error: { readonly name: string; readonly message: string } };

export async function outputOf<T>(run: () => Promise<T>): Promise<T | SandboxFailure> {
  try {
    return await run();
  } catch (error) {
    return { status: 'failed', error: { name: (error as Error).name ?? 'Error', message: (error as Error).message ?? String(error) } };
  }
}
