/**
 * The console's JSON API under `/api/`, over the ledger port and the artifact store. The server
 * checks Host, Origin and the bearer token before a request gets here (src/local/server.ts).
 *
 * - `GET /api/findings?state=&control=&repository=&q=`: findings, the filters' values, model usage.
 * - `GET /api/findings/<fingerprint>`: one finding: history, pull requests, the patch's diff.
 * - `GET /api/approvals`: the approvals waiting.
 * - `POST /api/approvals/<id>/<approve|reject|codify|revert|ignore>`: decides one, as a Slack click
 *   or `cloudmend approve|reject|decide` does; the waiting run takes the decision from the ledger.
 */
import { ACTIONS, acceptedActions, type ApprovalAction, isApprovalAction, refusalOf } from '../approvals/choices.js';
import type { Artifacts } from '../artifacts/port.js';
import type { Ledger } from '../ledger/port.js';
import { FINDING_STATES, type FindingState } from '../ledger/states.js';
import { decideApproval } from '../workflow/approvals.js';
import { findingDetail, type FindingFilter, listFindings, pendingApprovals } from './findings.js';

/**
 * Who decides from the console. It has one bearer token, the one `serve` printed or was given: the
 * ledger records its holder, and that the decision came through the console.
 */
export const CONSOLE_ACTOR = 'console:token-holder';

export interface ConsoleDeps {
  readonly ledger: Ledger;
  readonly artifacts: Artifacts;
  readonly now: () => Date;
}

export interface ApiRequest {
  readonly method: string;
  /** The path, starting with `/api/`. */
  readonly path: string;
  readonly query: URLSearchParams;
}

/** What the server sends back as JSON. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

const error = (status: number, message: string): ApiAnswer => ({ status, body: { error: message } });

function filterOf(query: URLSearchParams): FindingFilter | ApiAnswer {
  const given = (name: string): string | undefined => query.get(name)?.trim() || undefined;
  const state = given('state');
  if (state !== undefined && !(FINDING_STATES as readonly string[]).includes(state))
    return error(400, `state must be one of ${FINDING_STATES.join(', ')}, not ${JSON.stringify(state.slice(0, 40))}`);
  return { state: state as FindingState | undefined, control: given('control'), repository: given('repository'), text: given('q') };
}

async function decide(deps: ConsoleDeps, id: string, action: ApprovalAction): Promise<ApiAnswer> {
  const approval = await deps.ledger.getApproval(id);
  if (!approval) return error(404, `no approval ${id}: reload the approvals to see those waiting`);
  const refused = refusalOf(id, await acceptedActions(deps.ledger, deps.artifacts, approval.fingerprint), action);
  if (refused !== undefined) return error(400, refused);
  const wanted = ACTIONS[action];
  const choice = 'choice' in wanted ? wanted.choice : undefined;
  const result = await decideApproval(deps.ledger, { id, decision: wanted.decision, actor: CONSOLE_ACTOR, at: deps.now(), choice });
  if (result.outcome === 'not_found') return error(404, `no approval ${id}: reload the approvals to see those waiting`);
  if (result.outcome === 'expired') return error(409, `${id} had expired; nothing changed`);
  if (result.outcome === 'already_decided') {
    const { status, choice: was, decidedBy } = result.approval;
    return error(409, `${id} was already ${was ?? status} by ${decidedBy ?? 'someone'}; nothing changed`);
  }
  return { status: 200, body: { id, outcome: 'decided', decision: wanted.decision, choice, by: CONSOLE_ACTOR } };
}

/** The API's handler: a JSON answer for every request under `/api/`. */
export function consoleApi(deps: ConsoleDeps): (request: ApiRequest) => Promise<ApiAnswer> {
  return async ({ method, path, query }) => {
    let parts: string[];
    try {
      parts = path.split('/').slice(2).map(decodeURIComponent);
    } catch {
      return error(400, 'the path is not valid percent-encoding');
    }
    const [collection, id, action, ...rest] = parts;
    const known =
      rest.length === 0 &&
      ((collection === 'findings' && action === undefined) ||
        (collection === 'approvals' && id === undefined) ||
        (collection === 'approvals' && action !== undefined));
    if (!known)
      return error(404, `no route ${path}: GET /api/findings[/<fingerprint>], GET /api/approvals, POST /api/approvals/<id>/<action>`);
    const expected = collection === 'approvals' && action !== undefined ? 'POST' : 'GET';
    if (method !== expected) return error(405, `${method} is not allowed on ${path}; use ${expected}`);

    if (collection === 'approvals' && action !== undefined) {
      if (!isApprovalAction(action)) return error(404, `no action ${action}: approve, reject, codify, revert or ignore`);
      return decide(deps, id!, action);
    }
    if (collection === 'approvals') return { status: 200, body: { approvals: await pendingApprovals(deps.ledger, deps.artifacts) } };
    if (id !== undefined) {
      const detail = await findingDetail(deps.ledger, deps.artifacts, id);
      return detail ? { status: 200, body: detail } : error(404, `no finding ${id}`);
    }
    const filter = filterOf(query);
    return 'status' in filter ? filter : { status: 200, body: await listFindings(deps.ledger, filter) };
  };
}
