/**
 * Every SQL statement of the SQLite ledger, prepared once per handle. Values are always bound
 * parameters; lists of states travel as JSON arrays read with `json_each`.
 */
import type Database from 'better-sqlite3';
import type { ApprovalRow, AuditRow, FindingRow, PullRequestRow, SmokeRunRow, SuppressionRow } from './sqlite-rows.js';

interface FindingValues {
  fingerprint: string;
  state: string;
  attempts: number;
  summary: string;
  reason: string | null;
  data: string | null;
  at: string;
  actor: string;
}

/** Prepare the ledger's statements on an open, migrated handle. */
export function prepareStatements(db: Database.Database) {
  return {
    getFinding: db.prepare<[string], FindingRow>('SELECT * FROM findings WHERE fingerprint = ?'),
    insertFinding: db.prepare<[FindingValues], FindingRow>(
      `INSERT INTO findings
         (fingerprint, state, version, attempts, summary, reason, data, created_at, updated_at, updated_by)
       VALUES (@fingerprint, @state, 1, @attempts, @summary, @reason, @data, @at, @at, @actor)
       RETURNING *`,
    ),
    /** The conditional write: only while the state is still one of `from` (a JSON array). */
    updateFinding: db.prepare<[FindingValues & { from: string }], FindingRow>(
      `UPDATE findings
       SET state = @state, version = version + 1, attempts = @attempts, summary = @summary,
           reason = @reason, data = @data, updated_at = @at, updated_by = @actor
       WHERE fingerprint = @fingerprint AND state IN (SELECT value FROM json_each(@from))
       RETURNING *`,
    ),
    listFindings: db.prepare<[{ states: string | null; before: string | null; limit: number }], FindingRow>(
      `SELECT * FROM findings
       WHERE (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
         AND (@before IS NULL OR updated_at < @before)
       ORDER BY updated_at DESC, fingerprint
       LIMIT @limit`,
    ),
    insertApproval: db.prepare<
      [
        {
          id: string;
          fingerprint: string;
          taskToken: string;
          requestedAt: string;
          expiresAt: string;
          channel: string | null;
          messageTs: string | null;
        },
      ]
    >(
      `INSERT INTO approvals (id, fingerprint, task_token, requested_at, expires_at, channel, message_ts, status)
       VALUES (@id, @fingerprint, @taskToken, @requestedAt, @expiresAt, @channel, @messageTs, 'pending')
       ON CONFLICT (id) DO NOTHING`,
    ),
    getApproval: db.prepare<[string], ApprovalRow>('SELECT * FROM approvals WHERE id = ?'),
    /**
     * Compare-and-set on `pending`; an approve/reject at or after `expires_at` becomes `expired`
     * and keeps no choice (the approver's pick never took effect).
     */
    decideApproval: db.prepare<[{ id: string; decision: string; at: string; actor: string; choice: string | null }], ApprovalRow>(
      `UPDATE approvals
       SET status = CASE WHEN @decision <> 'expired' AND @at >= expires_at THEN 'expired' ELSE @decision END,
           choice = CASE WHEN @decision <> 'expired' AND @at >= expires_at THEN NULL ELSE @choice END,
           decided_at = @at, decided_by = @actor
       WHERE id = @id AND status = 'pending'
       RETURNING *`,
    ),
    reassignApproval: db.prepare<[{ id: string; from: string; to: string }]>(
      'UPDATE approvals SET task_token = @to WHERE id = @id AND task_token = @from',
    ),
    listApprovals: db.prepare<[{ status: string | null }], ApprovalRow>(
      'SELECT * FROM approvals WHERE @status IS NULL OR status = @status ORDER BY requested_at, id',
    ),
    /** Upsert by id: a reopened pull request keeps its creation time. */
    putPullRequest: db.prepare<
      [
        {
          id: string;
          fingerprint: string;
          repository: string;
          branch: string;
          base: string;
          title: string;
          body: string;
          commit: string;
          url: string | null;
          at: string;
        },
      ],
      PullRequestRow
    >(
      `INSERT INTO pull_requests (id, fingerprint, repository, branch, base, title, body, commit_sha, url, created_at, updated_at)
       VALUES (@id, @fingerprint, @repository, @branch, @base, @title, @body, @commit, @url, @at, @at)
       ON CONFLICT (id) DO UPDATE SET
         fingerprint = excluded.fingerprint, title = excluded.title, body = excluded.body,
         commit_sha = excluded.commit_sha, url = excluded.url, updated_at = excluded.updated_at
       RETURNING *`,
    ),
    getPullRequest: db.prepare<[string], PullRequestRow>('SELECT * FROM pull_requests WHERE id = ?'),
    pullRequestsFor: db.prepare<[string], PullRequestRow>('SELECT * FROM pull_requests WHERE fingerprint = ? ORDER BY created_at, id'),
    getChange: db.prepare<[string], { item: string }>('SELECT item FROM changes WHERE pull_request_id = ?'),
    putChange: db.prepare<[{ id: string; item: string }]>(
      'INSERT INTO changes (pull_request_id, item) VALUES (@id, @item) ON CONFLICT (pull_request_id) DO UPDATE SET item = excluded.item',
    ),
    openChangeOf: db.prepare<[{ repository: string; resource: string }], { pull_request_id: string }>(
      'SELECT pull_request_id FROM open_changes WHERE repository = @repository AND resource = @resource',
    ),
    putOpenChange: db.prepare<[{ repository: string; resource: string; id: string }]>(
      `INSERT INTO open_changes (repository, resource, pull_request_id) VALUES (@repository, @resource, @id)
       ON CONFLICT (repository, resource) DO UPDATE SET pull_request_id = excluded.pull_request_id`,
    ),
    deleteOpenChanges: db.prepare<[string]>('DELETE FROM open_changes WHERE pull_request_id = ?'),
    /** Upsert by key, unless the stored decision is newer: `changes` is 0 when it is. */
    putSuppression: db.prepare<[SuppressionRow]>(
      `INSERT INTO suppressions (key, until, actor, at, reason, fingerprint)
       VALUES (@key, @until, @actor, @at, @reason, @fingerprint)
       ON CONFLICT (key) DO UPDATE SET
         until = excluded.until, actor = excluded.actor, at = excluded.at,
         reason = excluded.reason, fingerprint = excluded.fingerprint
       WHERE excluded.at >= suppressions.at`,
    ),
    activeSuppression: db.prepare<[{ key: string; at: string }], SuppressionRow>(
      'SELECT * FROM suppressions WHERE key = @key AND until > @at',
    ),
    /** Insert unless the run id is stored: `changes` is 0 when it is. */
    insertSmokeRun: db.prepare<[SmokeRunRow]>(
      `INSERT INTO smoke_runs (run_id, repository, by, started_at, expires_at)
       VALUES (@run_id, @repository, @by, @started_at, @expires_at)
       ON CONFLICT (run_id) DO NOTHING`,
    ),
    smokeRun: db.prepare<[string], SmokeRunRow>('SELECT * FROM smoke_runs WHERE run_id = ?'),
    insertAudit: db.prepare<[{ fingerprint: string | null; type: string; actor: string; at: string; data: string | null }]>(
      'INSERT INTO audit_events (fingerprint, type, actor, at, data) VALUES (@fingerprint, @type, @actor, @at, @data)',
    ),
    auditTrail: db.prepare<[string], AuditRow>('SELECT * FROM audit_events WHERE fingerprint = ? ORDER BY seq'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
