/**
 * The agent's tools. Their inputs come from the model and are untrusted: each is validated, and a
 * bad call is answered with an error the model can act on, never an exception that ends the run.
 * File contents going back to the model are data, delimited as such.
 */
import * as z from 'zod';
import type { ToolSpec } from './model.js';
import { untrustedSection } from './untrusted.js';
import { EditError, type Workspace } from './workspace.js';

/** Per file, per search, per patch: what one tool result may carry back to the model. */
export const TOOL_LIMITS = { fileChars: 60_000, searchMatches: 50, edits: 20, editChars: 20_000, reasonChars: 500 } as const;

export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read one file of the repository as it is now (your edits included), with line numbers.',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Repository-relative path, as listed.' } },
      required: ['path'],
    },
  },
  {
    name: 'search',
    description: 'Lines containing a literal text, in the readable files (at most 50).',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
  {
    name: 'propose_edits',
    description:
      'Change the editable files. Each edit replaces `find` (exact text that occurs exactly once in the file as it is now) with `replace`. All edits apply or none. Returns the diff so far and the validation result.',
    inputSchema: {
      type: 'object',
      properties: {
        edits: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, find: { type: 'string' }, replace: { type: 'string' } },
            required: ['path', 'find', 'replace'],
          },
        },
      },
      required: ['edits'],
    },
  },
  {
    name: 'run_validation',
    description:
      'Check the files as they are now: they parse, the finding is gone from the resource, terraform validate or cfn-lint, and the guardrail.',
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: 'give_up',
    description: 'Stop without a fix, saying why (for example: the safe fix needs a decision only a person can make).',
    inputSchema: { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'] },
  },
];

const Path = z.object({ path: z.string().min(1).max(500) });
const Search = z.object({ text: z.string().min(1).max(200) });
const Edits = z.object({
  edits: z
    .array(
      z.object({
        path: z.string().min(1).max(500),
        find: z.string().max(TOOL_LIMITS.editChars),
        replace: z.string().max(TOOL_LIMITS.editChars),
      }),
    )
    .min(1)
    .max(TOOL_LIMITS.edits),
});
const GiveUp = z.object({ reason: z.string().max(10_000) });

export type ToolOutcome =
  | { readonly kind: 'result'; readonly text: string; readonly error?: boolean }
  | { readonly kind: 'edited'; readonly text: string }
  | { readonly kind: 'validate' }
  | { readonly kind: 'give_up'; readonly reason: string };

const numbered = (text: string): string =>
  text
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(4)}  ${line}`)
    .join('\n');

/** Runs one tool call against the workspace; validation and giving up are the loop's to do. */
export function runTool(name: string, input: unknown, workspace: Workspace): ToolOutcome {
  const bad = (message: string): ToolOutcome => ({ kind: 'result', text: message, error: true });
  switch (name) {
    case 'read_file': {
      const parsed = Path.safeParse(input);
      if (!parsed.success) return bad('read_file needs {"path": "<repository-relative path>"}');
      const text = workspace.read(parsed.data.path);
      if (text === undefined)
        return bad(`no such readable file: ${parsed.data.path.slice(0, 200)}; readable: ${workspace.paths.join(', ')}`);
      return { kind: 'result', text: untrustedSection(`file ${parsed.data.path}`, numbered(text), TOOL_LIMITS.fileChars) };
    }
    case 'search': {
      const parsed = Search.safeParse(input);
      if (!parsed.success) return bad('search needs {"text": "<literal text, 1-200 characters>"}');
      const hits = workspace.paths.flatMap((path) =>
        (workspace.read(path) ?? '')
          .split('\n')
          .flatMap((line, i) => (line.includes(parsed.data.text) ? [`${path}:${i + 1}: ${line.slice(0, 300)}`] : [])),
      );
      const shown = hits.slice(0, TOOL_LIMITS.searchMatches).join('\n') || '(no match)';
      return { kind: 'result', text: untrustedSection('search results', shown, TOOL_LIMITS.fileChars) };
    }
    case 'propose_edits': {
      const parsed = Edits.safeParse(input);
      if (!parsed.success)
        return bad(
          `propose_edits needs {"edits": [{"path", "find", "replace"}]} with 1-${TOOL_LIMITS.edits} edits of at most ${TOOL_LIMITS.editChars} characters`,
        );
      try {
        workspace.apply(parsed.data.edits);
      } catch (error) {
        if (error instanceof EditError) return bad(`${error.message}. No edit was applied.`);
        throw error;
      }
      return { kind: 'edited', text: untrustedSection('diff so far', workspace.diff() || '(no change)', TOOL_LIMITS.fileChars) };
    }
    case 'run_validation':
      return { kind: 'validate' };
    case 'give_up': {
      const parsed = GiveUp.safeParse(input);
      return { kind: 'give_up', reason: parsed.success ? parsed.data.reason : 'the model gave up without a readable reason' };
    }
    default:
      return bad(`no tool named ${name.slice(0, 100)}; the tools are ${TOOLS.map((t) => t.name).join(', ')}`);
  }
}
