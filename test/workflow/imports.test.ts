/**
 * The workflow's import graph: no cycles inside src/workflow, and the adapters take their ports
 * from the folders that own them, never from the workflow.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each file's relative imports (`import … from './x.js'`, `export … from`), as absolute .ts paths. */
function importsOf(file: string): { path: string; names: string }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(?:type\s+)?([^;]*?)\s+from\s+'(\.[^']+)\.js';/gms)].map((m) => ({
    names: m[1]!,
    path: resolve(dirname(file), `${m[2]!}.ts`),
  }));
}

/** One cycle of `graph`, as the files around it, if there is one. */
function cycleOf(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

describe('imports', () => {
  it('has no import cycle inside src/workflow', () => {
    const files = sources(join(SRC, 'workflow'));
    const graph = new Map(
      files.map((f) => [
        f,
        importsOf(f)
          .map((i) => i.path)
          .filter((p) => files.includes(p)),
      ]),
    );
    expect(cycleOf(graph)?.map((f) => relative(SRC, f))).toBeUndefined();
    // The check finds one when there is one.
    expect(
      cycleOf(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'a']);
  });

  it('gives adapters their ports from the folders that own them, never from the workflow', () => {
    const adapters = ['aws', 'local', 'approvals', 'cli', 'scm', 'ledger'].flatMap((d) => sources(join(SRC, d)));
    const context = join(SRC, 'workflow/context.ts');
    // The task context itself is the workflow's: its Lambda and local wiring may name it.
    const wiring = new Set(['TaskContext', 'Port', 'scopedContext']);
    const ports = adapters.flatMap((file) =>
      importsOf(file)
        .filter((i) => i.path === context)
        .flatMap((i) =>
          i.names
            .replace(/[{}]|\btype\b/g, '')
            .split(',')
            .map((n) => n.trim())
            .filter((n) => n && !wiring.has(n)),
        )
        .map((name) => `${relative(SRC, file)}: ${name}`),
    );
    expect(ports).toEqual([]);
  });
});
