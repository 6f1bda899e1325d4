/** The web console of `cloudmend serve`: its page (assets.ts) and its JSON API (api.ts), for the server to route to. */
import type { HttpResponse } from '../approvals/interactions.js';
import { type ApiAnswer, type ApiRequest, consoleApi, type ConsoleDeps } from './api.js';
import { consoleAssets } from './assets.js';

export interface WebConsole {
  /** Answers a request under `/api/`; the server checks the bearer token first. */
  readonly api: (request: ApiRequest) => Promise<ApiAnswer>;
  /** The page's file at `path` (`/`, `/console.js`, `/console.css`), or undefined. */
  readonly asset: (path: string) => HttpResponse | undefined;
}

export function createConsole(deps: ConsoleDeps): WebConsole {
  return { api: consoleApi(deps), asset: consoleAssets() };
}
