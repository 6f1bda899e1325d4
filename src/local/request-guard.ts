/**
 * Who may talk to `cloudmend serve`. The server listens on loopback, but every web page the user
 * visits can reach loopback too: a page may POST a "simple" cross-site request (text/plain, no
 * preflight) or rebind its own name to 127.0.0.1. So every request must name the server by one of
 * its own Host names (DNS rebinding) and must not come from another site's page (Origin,
 * Sec-Fetch-Site); `POST /events` also needs the bearer token and a JSON body.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server was started with: its bearer token and the extra Host names it answers to. */
export interface ServeAccess {
  /** The `Authorization: Bearer` token `POST /events` needs. Never logged, never echoed. */
  readonly token: string;
  /**
   * Host names beyond the server's own (loopback, and the bound address when it is not a wildcard),
   * such as a tunnel's: `name` matches that name on any port, `name:port` only that port.
   */
  readonly allowedHosts: readonly string[];
}

/** Why a request is refused: its status, what the caller is told, and a detail for the local log only. */
export interface Refusal {
  readonly statusCode: number;
  readonly error: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly logDetail?: string;
}

interface HostName {
  readonly name: string;
  /** Undefined: any port. */
  readonly port: number | undefined;
}

/** A Host value or an allowed-host entry: a DNS name, an IPv4 address or a bracketed IPv6 one; a port. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i;

/** `name[:port]` lowercased, or undefined when it is no host name. */
export function parseHostName(value: string): HostName | undefined {
  const match = HOST.exec(value);
  if (!match) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65_535) return undefined;
  return { name: match[1]!.toLowerCase(), port };
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** True for the addresses that mean "every address" (IPv4 and IPv6), which no client names in a Host header. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** How a client names `address` in a URL or a Host header (IPv6 in brackets). */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * A test of Host header values against the server's own names on the port it listens on and the
 * allowed names. A Host without a port means port 80, as in a URL.
 */
export function hostMatcher(bound: AddressInfo, allowedHosts: readonly string[]): (host: string) => boolean {
  const boundName = isWildcard(bound.address) ? [] : [urlHost(bound.address).toLowerCase()];
  const own = [...LOOPBACK_NAMES, ...boundName];
  // Allowed hosts were validated at start (`parseHostName`); one that does not parse allows nothing.
  const allowed = allowedHosts.flatMap((entry) => parseHostName(entry) ?? []);
  const names: HostName[] = [...own.map((name) => ({ name, port: bound.port })), ...allowed];
  return (host) => {
    const asked = parseHostName(host);
    if (!asked) return false;
    const askedPort = asked.port ?? 80;
    return names.some(({ name, port }) => name === asked.name && (port === undefined || port === askedPort));
  };
}

/** A header value short enough for a log line (printable() makes it safe to show). */
const clip = (value: string | undefined): string => (value ?? '-').slice(0, 100);

/** How many times the request carries header `name` (Node keeps only the first Host it reads). */
function headerCount(req: IncomingMessage, name: string): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === name) count += 1;
  return count;
}

/**
 * The Host check against DNS rebinding: exactly one Host header naming this server, and a request
 * target that is a path (an absolute URL would name a host of its own).
 */
export function hostRefusal(req: IncomingMessage, isOwnHost: (host: string) => boolean): Refusal | undefined {
  const host = req.headers.host;
  if (!(req.url ?? '').startsWith('/')) {
    return { statusCode: 400, error: 'the request target must be a path such as /events' };
  }
  if (host === undefined || headerCount(req, 'host') !== 1) {
    return { statusCode: 400, error: 'the request must carry exactly one Host header' };
  }
  if (isOwnHost(host)) return undefined;
  return {
    statusCode: 421,
    error:
      'this server does not answer to that Host name; to reach it by another name (a tunnel, a LAN address), ' +
      'start cloudmend serve with --allowed-host <name> or set CLOUDMEND_SERVE_ALLOWED_HOSTS',
    logDetail: `Host ${clip(host)} refused (not an own name, nor --allowed-host)`,
  };
}

/** Sec-Fetch-Site values of requests that no other site's page started. */
const SAME_ORIGIN_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * The browser check: a request another site's page made (a cross-site or same-site
 * `Sec-Fetch-Site`, an `Origin` other than this server's own) is refused. Clients that are not
 * browsers (curl, scripts, Slack) send neither header. Call after `hostRefusal`.
 */
export function crossSiteRefusal(req: IncomingMessage): Refusal | undefined {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const host = (req.headers.host ?? '').toLowerCase();
  const ownOrigin = origin === undefined || [`http://${host}`, `https://${host}`].includes(origin.toLowerCase());
  if ((site === undefined || SAME_ORIGIN_FETCH_SITES.has(site)) && ownOrigin) return undefined;
  return {
    statusCode: 403,
    error: 'requests made by web pages of other sites are refused: call cloudmend serve from curl, a script or Slack',
    logDetail: `cross-site request refused (Origin ${clip(origin)}, Sec-Fetch-Site ${clip(site)})`,
  };
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * A check of `Authorization: Bearer <token>` against `token`, in constant time: both sides are
 * hashed first, so neither the length nor any prefix of the token shows in the timing.
 */
export function bearerCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const presented = /^Bearer +([^\s]+) *$/i.exec(authorization ?? '')?.[1];
    // Hash something either way, so a missing header takes as long as a wrong one.
    return timingSafeEqual(digest(presented ?? ''), expected) && presented !== undefined;
  };
}

/** The 401 for a missing or wrong token on `what` (a route): the same answer for both, saying nothing of the token. */
export const unauthorized = (what: string): Refusal => ({
  statusCode: 401,
  error: `${what} needs Authorization: Bearer <token>: the token cloudmend serve printed when it started, or CLOUDMEND_SERVE_TOKEN`,
  headers: { 'www-authenticate': 'Bearer realm="cloudmend"' },
});

/** True for `application/json`, with or without parameters such as `charset`. */
export function isJsonContentType(value: string | undefined): boolean {
  return (value ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}
