/**
 * The web console of `cloudmend serve` in a real headless Chromium: a run waits for approval, the
 * page (opened with the token in its fragment) lists the finding, a hostile title shows as text,
 * the finding shows its diff, and an Approve click lets the waiting run open the branch; before that,
 * signing in by keyboard with a wrong, then the right token. One browser and one `serve` for the
 * file, the tests in order; screenshots go to
 * `$CLOUDMEND_CONSOLE_SHOTS` when set, else a temporary directory. Skipped with the reason when
 * Chromium is not installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Serving } from '../../src/cli/serve.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { makeWorld, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!CHROMIUM) console.log('skipping the console in a browser: no /usr/bin/chromium (apt-get install chromium)');

const TOKEN = 'console-browser-token-0123456789abcdef0123456789';
const HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> S3 buckets should block public access';

let browser: Browser | undefined;
let shots = '';
let ownShots = false;
beforeAll(async () => {
  if (!CHROMIUM) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  ownShots = process.env.CLOUDMEND_CONSOLE_SHOTS === undefined;
  shots = process.env.CLOUDMEND_CONSOLE_SHOTS ?? mkdtempSync(join(tmpdir(), 'cloudmend-console-shots-'));
  mkdirSync(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  if (ownShots && shots) rmSync(shots, { recursive: true, force: true });
});

let world: World | undefined;
let serving: Serving | undefined;
afterAll(async () => {
  await serving?.close();
  world?.cleanup();
});

/** `serve` in a world whose S3.8 finding (with a hostile title) waits for approval; `answer` is the run's. */
async function waitingRun() {
  world = await makeWorld('approvals: { approvers: { users: [U0APPROVER] } }\n');
  const stderr: string[] = [];
  const env = { CLOUDMEND_SERVE_TOKEN: TOKEN };
  serving = await startServe(
    { port: '0', config: world.configFile, state: world.state },
    { stdout: () => undefined, stderr: (t) => void stderr.push(t), cwd: world.root, env },
  );
  // The console's address as serve prints it: a shell line that fills the token in.
  const echo = /^ {2}(echo .*)$/m.exec(stderr.join(''))?.[1] ?? 'false';
  const address = execFileSync('sh', ['-c', echo], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' }).trim();
  const event = importedEvent([asffFinding({ Title: HOSTILE, Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })]);
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const answer = fetch(`${serving.url}/events?wait=1`, { method: 'POST', headers, body: JSON.stringify(event) });
  const ledger = openSqliteLedger({ path: join(world.state, 'ledger.db') });
  try {
    for (let i = 0; i < 400 && (await ledger.listApprovals({ status: 'pending' })).length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    const [approval] = await ledger.listApprovals({ status: 'pending' });
    if (!approval) throw new Error('no approval was requested');
    return { url: serving.url, address, answer, approval, world };
  } finally {
    await ledger.close();
  }
}

const statusText = (page: Page) => page.locator('#status').textContent();

describe.skipIf(!CHROMIUM)('the console in a browser', () => {
  let run: Awaited<ReturnType<typeof waitingRun>>;
  beforeAll(async () => {
    run = await waitingRun();
  }, 30_000);

  it('asks for the token, refuses a wrong one and opens with the right one, by keyboard alone', async () => {
    const page = await browser!.newPage();
    await page.goto(`${run.url}/`);
    await page.locator('#sign-in').waitFor();
    expect(await statusText(page)).toBe('Enter the token of cloudmend serve.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.keyboard.type(`${TOKEN.slice(0, -1)}x`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('The token was refused'));
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#app').waitFor();
    expect(await page.locator('#usage').textContent()).toMatch(/^No model ran/);
    expect(await page.locator('#findings-count').textContent()).toBe('1 finding shown.');
    await page.close();
  }, 30_000);

  it('lists the waiting finding with its title as text, shows its diff, and an Approve click opens the pull request', async () => {
    const { address, answer, approval, world: w } = run;
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const refused: string[] = [];
    page.on('console', (message) => void (message.text().includes('Content Security Policy') && refused.push(message.text())));
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=console-browser-token-/);
    await page.goto(address);

    const row = page.locator('#findings tbody tr').first();
    await row.waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await row.locator('button.link').textContent()).toBe(HOSTILE);
    expect(await row.locator('.state').textContent()).toBe('awaiting_approval');
    expect(await page.locator('#approvals tbody tr').count()).toBe(1);
    expect(await page.locator('main img, main script').count()).toBe(0);
    await page.screenshot({ path: join(shots, '1-findings-and-approvals.png'), fullPage: true });

    await row.locator('button.link').click();
    const diff = page.locator('#detail-diff');
    await diff.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
    expect(await diff.locator('.line.add').count()).toBeGreaterThan(0);
    expect(await diff.textContent()).toContain('+++ b/storage.tf');
    expect(await page.locator('#detail-history tbody tr').count()).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: join(shots, '2-finding-diff.png'), fullPage: true });

    await page
      .locator('#detail-decision')
      .getByRole('button', { name: /^Approve:/ })
      .click();
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('the finding is now'), undefined, {
      timeout: 30_000,
    });
    expect(await statusText(page)).toBe(`Approved ${approval.id} as console:token-holder: the finding is now pr_opened.`);
    const out = (await (await answer).json()) as { results: { status: string; branch?: string; approval?: { by?: string } }[] };
    expect(out.results[0]).toMatchObject({ status: 'pr_opened', approval: { by: 'console:token-holder' } });
    expect(await w.git('branch', '--list', 'cloudmend/*')).toContain(out.results[0]!.branch);
    await page.locator('#detail-prs .pr').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
    expect(await page.locator('#approvals-empty').isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, '3-approved-pull-request.png'), fullPage: true });

    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(refused).toEqual([]);
    await page.close();
  }, 60_000);
});
