/* global document, location, history, CSS */
/**
 * The cloudmend console in the browser: reads the JSON API of `cloudmend serve` with the bearer token
 * and shows it. Ledger data (titles, reasons, diffs, file names) is untrusted: it only ever becomes
 * text nodes (`textContent`), never markup.
 */

const TOKEN_KEY = 'cloudmend.serve.token';
/** States in which a run still works on (or waits for) a finding. */
const IN_FLIGHT = new Set(['claimed', 'located', 'patched', 'awaiting_approval', 'approved']);
/** Each decision's button and what the status line says once it is recorded. */
const DECISIONS = {
  approve: ['Approve', 'Approved'],
  reject: ['Reject', 'Rejected'],
  codify: ['Codify', 'Codified'],
  revert: ['Revert', 'Revert chosen for'],
  ignore: ['Ignore', 'Ignored'],
};

const $ = (id) => document.getElementById(id);
/** `1 finding`, `2 findings`: as the CLI writes counts (src/plural.ts). */
const plural = (count, noun) => `${count} ${count === 1 ? noun : `${noun}s`}`;

/** An element with attributes and children; strings become text nodes, never HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return node;
}

function say(text) {
  $('status').textContent = text;
}

/** No token yet, or (`refused`) the server refused the one given. */
class Unauthorized extends Error {
  constructor(refused) {
    super(refused ? 'the token was refused' : 'no token yet');
    this.refused = refused;
  }
}

/** One API call with the token; a 401 forgets the token and asks for it again. */
async function api(path, init = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new Unauthorized(false);
  const response = await fetch(path, { ...init, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    throw new Unauthorized(true);
  }
  return { status: response.status, body };
}

const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');
const short = (fingerprint) => fingerprint.slice(0, 12);

function showSignIn(message) {
  $('app').hidden = true;
  $('sign-in').hidden = false;
  say(message);
  $('token').focus();
}

function fillSelect(select, values) {
  const current = select.value;
  select.replaceChildren(el('option', { value: '' }, 'any'), ...values.map((v) => el('option', { value: v }, v)));
  select.value = values.includes(current) ? current : '';
}

function decisionButtons(approval, fingerprint) {
  const label = approval.finding?.title ?? fingerprint;
  return el(
    'div',
    { class: 'decision', role: 'group', 'aria-label': `Decision on ${label}`, 'data-decides': approval.id },
    approval.actions.map((action) =>
      el(
        'button',
        {
          type: 'button',
          class: action === 'approve' || action === 'codify' ? 'primary' : undefined,
          'aria-label': `${DECISIONS[action][0]}: ${label}`,
          'data-action': action,
          onclick: () => decide(approval.id, action, fingerprint),
        },
        DECISIONS[action][0],
      ),
    ),
  );
}

async function loadApprovals() {
  const { body } = await api('/api/approvals');
  const rows = body.approvals.map((a) =>
    el(
      'tr',
      { 'data-approval': a.id },
      el('td', {}, a.finding?.controlId ?? '-'),
      el('td', {}, findingButton(a.fingerprint, a.finding?.title)),
      el('td', {}, a.finding?.resource ?? ''),
      el('td', {}, a.finding?.repository ?? ''),
      el('td', {}, when(a.expiresAt)),
      el('td', {}, decisionButtons({ ...a }, a.fingerprint)),
    ),
  );
  $('approvals')
    .querySelector('tbody')
    .replaceChildren(...rows);
  $('approvals').hidden = rows.length === 0;
  $('approvals-empty').hidden = rows.length > 0;
}

function findingButton(fingerprint, title) {
  return el(
    'button',
    { type: 'button', class: 'link', 'data-finding': fingerprint, onclick: () => showFinding(fingerprint) },
    title || short(fingerprint),
  );
}

function usageText(usage) {
  if (usage.findings === 0) return 'No model ran: every patch so far came from a deterministic skill.';
  const models = usage.models.length > 0 ? ` (${usage.models.join(', ')})` : '';
  return (
    `The model agent made ${plural(usage.calls, 'call')}${models} on ${plural(usage.findings, 'finding')}: ` +
    `${usage.inputTokens} input and ${usage.outputTokens} output tokens, ${usage.tokens} in all.`
  );
}

async function loadFindings() {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData($('filters'))) if (value !== '') query.set(name, String(value));
  const { status, body } = await api(`/api/findings?${query}`);
  if (status !== 200) return say(body.error ?? `the findings could not be read (${status})`);
  fillSelect($('filter-state'), body.facets.states);
  fillSelect($('filter-control'), body.facets.controls);
  fillSelect($('filter-repository'), body.facets.repositories);
  $('usage').textContent = usageText(body.usage);
  const rows = body.findings.map((f) =>
    el(
      'tr',
      { 'data-fingerprint': f.fingerprint },
      el('td', {}, findingButton(f.fingerprint, f.title), el('div', { class: 'muted' }, short(f.fingerprint), ' ', f.resource)),
      el('td', {}, f.controlId ?? '-'),
      el('td', {}, el('span', { class: `state state-${f.state}` }, f.state)),
      el('td', { class: 'reason' }, f.reason ?? ''),
      el('td', {}, f.repository ?? ''),
      el('td', {}, when(f.updatedAt)),
      el('td', { class: 'number' }, f.model ? String(f.model.tokens) : ''),
    ),
  );
  $('findings')
    .querySelector('tbody')
    .replaceChildren(...rows);
  const more = body.truncated ? ' (the newest 500 of the ledger)' : '';
  $('findings-count').textContent = `${plural(body.findings.length, 'finding')} shown${more}.`;
}

function diffView(diff) {
  const kind = (line) =>
    line.startsWith('+++') || line.startsWith('---')
      ? 'file'
      : line.startsWith('@@')
        ? 'hunk'
        : line.startsWith('+')
          ? 'add'
          : line.startsWith('-')
            ? 'del'
            : 'context';
  return diff
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => el('span', { class: `line ${kind(line)}` }, line, '\n'));
}

function facts(pairs) {
  return pairs
    .filter(([, value]) => value !== undefined && value !== '')
    .flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]);
}

function historyRow(event) {
  const move = event.from || event.to ? `${event.from ?? ''} → ${event.to ?? ''}` : '';
  const data = event.data && Object.keys(event.data).length > 0 ? JSON.stringify(event.data) : '';
  return el(
    'tr',
    {},
    el('td', {}, when(event.at)),
    el('td', {}, event.type),
    el('td', {}, event.actor),
    el('td', {}, move),
    el(
      'td',
      { class: 'reason' },
      event.reason ?? '',
      event.reason && data ? el('br') : undefined,
      data ? el('code', {}, data.slice(0, 600)) : undefined,
    ),
  );
}

function pullRequestView(pr) {
  return el(
    'article',
    { class: 'pr' },
    el('h4', {}, pr.title),
    el(
      'dl',
      {},
      facts([
        ['Id', pr.id],
        ['Branch', `${pr.branch} (from ${pr.base}) at ${pr.commit.slice(0, 12)}`],
        ['URL', pr.url],
        ['Opened', when(pr.createdAt)],
      ]),
    ),
    el('details', {}, el('summary', {}, 'Pull request body (Markdown, as text)'), el('pre', { class: 'body' }, pr.body)),
  );
}

let shown;

async function showFinding(fingerprint, { focus = true } = {}) {
  const { status, body } = await api(`/api/findings/${encodeURIComponent(fingerprint)}`);
  if (status !== 200) return say(body.error ?? `the finding could not be read (${status})`);
  shown = fingerprint;
  const { finding, history: trail, pullRequests, patch, approval } = body;
  $('detail-title').textContent = finding.title || short(finding.fingerprint);
  $('detail-facts').replaceChildren(
    ...facts([
      ['State', finding.state],
      ['Reason', finding.reason],
      ['Control', finding.controlId],
      ['Severity', finding.severity],
      ['Resource', finding.resource],
      ['Account and region', [finding.account, finding.region].filter(Boolean).join(' ')],
      ['Repository', finding.repository],
      ['Fingerprint', finding.fingerprint],
      ['Attempts', String(finding.attempts)],
      [
        'Model',
        finding.model ? `${finding.model.calls} calls, ${finding.model.tokens} tokens (${finding.model.models.join(', ')})` : undefined,
      ],
    ]),
  );
  $('detail-decision').replaceChildren(
    ...(approval
      ? [el('p', {}, `Waiting for a decision until ${when(approval.expiresAt)}.`), decisionButtons(approval, finding.fingerprint)]
      : []),
  );
  const made = patch?.skill ? `skill ${patch.skill}` : patch?.model ? `model ${patch.model}` : undefined;
  const checks = (patch?.checks ?? []).map((c) => `${c.name}: ${c.status}`).join(', ');
  $('detail-patch').textContent = !patch
    ? 'No patch was written for this finding.'
    : patch.error
      ? patch.error
      : [`Files: ${(patch.files ?? []).join(', ')}`, made && `written by ${made}`, checks && `checks: ${checks}`]
          .filter(Boolean)
          .join('; ');
  $('detail-diff').replaceChildren(...(patch?.diff ? diffView(patch.diff) : []));
  $('detail-diff').hidden = !patch?.diff;
  $('detail-prs').replaceChildren(...(pullRequests.length > 0 ? pullRequests.map(pullRequestView) : [el('p', {}, 'No pull request yet.')]));
  $('detail-history')
    .querySelector('tbody')
    .replaceChildren(...trail.map(historyRow));
  $('detail').hidden = false;
  if (focus) $('detail-title').focus();
  return finding;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows a decided finding for a minute, until a run has moved it on (a pull request opened, or it ended); its last state. */
async function follow(fingerprint) {
  let last;
  for (let i = 0; i < 120; i++) {
    const { status, body } = await api(`/api/findings/${encodeURIComponent(fingerprint)}`);
    if (status !== 200 || !IN_FLIGHT.has(body.finding.state)) return body.finding?.state;
    last = body.finding.state;
    await sleep(500);
  }
  return last;
}

async function decide(id, action, fingerprint) {
  const buttons = document.querySelectorAll(`[data-decides="${CSS.escape(id)}"] button`);
  for (const b of buttons) b.disabled = true;
  try {
    const { status, body } = await api(`/api/approvals/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
    if (status !== 200) {
      say(body.error ?? `the decision was not recorded (${status})`);
      await refresh();
      return;
    }
    const done = `${DECISIONS[action][1]} ${id} as ${body.by}`;
    say(`${done}; following the finding…`);
    await refresh();
    keepFocus();
    const state = await follow(fingerprint);
    await refresh();
    keepFocus();
    if (state && !IN_FLIGHT.has(state)) say(`${done}: the finding is now ${state}.`);
    else
      say(
        `${done}: the finding is still ${state ?? 'in flight'}; the run waiting on it continues it, ` +
          'or, when none waits, the next cloudmend run or serve on this ledger does.',
      );
  } catch (error) {
    handle(error);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** After a refresh took away the focused button (a decided approval's), focus goes to the finding shown, else the approvals. */
function keepFocus() {
  if (document.activeElement && document.activeElement !== document.body) return;
  ($('detail').hidden ? $('approvals-title') : $('detail-title')).focus();
}

async function refresh() {
  await Promise.all([loadApprovals(), loadFindings()]);
  if (shown) await showFinding(shown, { focus: false });
}

function handle(error) {
  if (error instanceof Unauthorized)
    showSignIn(error.refused ? 'The token was refused: enter the token of cloudmend serve.' : 'Enter the token of cloudmend serve.');
  else say(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
}

async function open() {
  try {
    await refresh();
    $('sign-in').hidden = true;
    $('app').hidden = false;
    say('');
  } catch (error) {
    handle(error);
  }
}

function start() {
  // `#token=…` (printed by cloudmend serve): kept for this tab, then taken out of the address bar and history.
  const fromFragment = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1];
  if (fromFragment) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromFragment));
    history.replaceState(null, '', location.pathname + location.search);
  }
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    void open();
  });
  let typing;
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    void loadFindings().catch(handle);
  });
  $('filters').addEventListener('change', () => void loadFindings().catch(handle));
  $('filter-text').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => void loadFindings().catch(handle), 250);
  });
  $('refresh').addEventListener('click', () => void refresh().then(() => say('Refreshed.'), handle));
  void open();
}

start();
