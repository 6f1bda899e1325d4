/**
 * The console's page: a static shell (HTML, one script, one stylesheet from `static/`) that holds no
 * data. It asks for the bearer token, or takes it from the URL fragment (`#token=`, which browsers
 * never send to a server), and reads everything through the JSON API with `Authorization: Bearer`.
 * Nothing external: the Content-Security-Policy allows only this server's own script, style and API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpResponse } from '../approvals/interactions.js';

/** The page's files: a package of cloudmend must ship this directory (package.json `files`). */
export const STATIC_DIR = join(import.meta.dirname, 'static');

/** Only this server's own script and stylesheet, fetches to its own API; no frames, forms or base elsewhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every console answer, page and API alike. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** URL path → file in `static/` and its type. */
const FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/console.js': ['console.js', 'text/javascript; charset=utf-8'],
  '/console.css': ['console.css', 'text/css; charset=utf-8'],
} as const;

/** The paths the page is served at. */
export const ASSET_PATHS: readonly string[] = Object.keys(FILES);

/** The page's files, read once: `GET <path>` answers, or undefined for any other path. */
export function consoleAssets(): (path: string) => HttpResponse | undefined {
  const answers = new Map<string, HttpResponse>(
    Object.entries(FILES).map(([path, [file, type]]) => [
      path,
      { statusCode: 200, headers: { 'content-type': type, ...CONSOLE_HEADERS }, body: readFileSync(join(STATIC_DIR, file), 'utf8') },
    ]),
  );
  return (path) => answers.get(path);
}
