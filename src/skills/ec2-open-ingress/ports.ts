/**
 * What an ingress rule open to the internet exposes, judged as the controls do: EC2.19 lists the
 * high-risk ports, EC2.18 allows only its authorized TCP ports (80 and 443 by default) and no UDP
 * port, EC2.13 and EC2.14 single out SSH and RDP. Shared by the Terraform and CloudFormation rules.
 */

/** EC2.19's ports with the highest risk. */
export const HIGH_RISK_PORTS: readonly number[] = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300,
];

/** EC2.18's default `authorizedTcpPorts`. */
export const AUTHORIZED_TCP_PORTS: readonly number[] = [80, 443];

/** `other`: ICMP and protocols without ports, which the port controls do not judge. */
export type Protocol = 'tcp' | 'udp' | 'all' | 'other';

const PROTOCOLS: Readonly<Record<string, Protocol>> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', '-1': 'all', all: 'all' };

/** A protocol setting (`"tcp"`, `6`, `"-1"`, `"icmp"`...); undefined when it cannot be read. */
export function protocolOf(value: unknown): Protocol | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const key = String(value).trim().toLowerCase();
  return key === '' ? undefined : (PROTOCOLS[key] ?? 'other');
}

/** A port setting (`22`, `"22"`); undefined when it cannot be read. */
export function portOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

export type Family = 'ipv4' | 'ipv6';

/**
 * The family of a CIDR that spans the whole internet: prefix length 0. A /0 prefix covers every
 * address whatever the host part, so `10.0.0.1/0` counts as well as the canonical two (Terraform
 * refuses it and suggests `0.0.0.0/0`; CloudFormation hands it to EC2 as written).
 */
export function openFamily(cidr: string): Family | undefined {
  const m = /^\s*([0-9A-Fa-f:.]+)\/0+\s*$/.exec(cidr);
  const address = m?.[1];
  if (address === undefined) return undefined;
  if (address.includes(':')) return 'ipv6';
  const octets = address.split('.');
  return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255) ? 'ipv4' : undefined;
}

export const OPEN_CIDR: Readonly<Record<Family, string>> = { ipv4: '0.0.0.0/0', ipv6: '::/0' };

/** What a rule open to the internet exposes, for messages and notes. */
export interface Exposure {
  /** `TCP 22`, `UDP 1000-2000`, `all traffic`. */
  readonly ports: string;
  /** EC2.19 ports among them. */
  readonly risky: readonly number[];
  /** The controls it fails, in id order. */
  readonly controls: readonly string[];
}

function within(port: number, from: number, to: number): boolean {
  return port >= from && port <= to;
}

/**
 * What `protocol` over `[from, to]` exposes when open to the internet, or undefined when the
 * controls allow it (authorized TCP ports only) or do not judge it (ICMP and the like).
 * `from`/`to` are ignored for all traffic.
 */
export function exposure(protocol: Protocol, from: number, to: number): Exposure | undefined {
  if (protocol === 'other') return undefined;
  const all = protocol === 'all';
  const [lo, hi] = all ? [0, 65535] : [Math.min(from, to), Math.max(from, to)];
  if (protocol === 'tcp' && AUTHORIZED_TCP_PORTS.filter((p) => within(p, lo, hi)).length === hi - lo + 1) return undefined;
  const risky = HIGH_RISK_PORTS.filter((p) => within(p, lo, hi));
  const tcpLike = protocol !== 'udp';
  const controls = [
    ...(tcpLike && within(22, lo, hi) ? ['EC2.13'] : []),
    ...(tcpLike && within(3389, lo, hi) ? ['EC2.14'] : []),
    'EC2.18',
    ...(risky.length > 0 ? ['EC2.19'] : []),
  ];
  const ports = all ? 'all traffic' : `${protocol.toUpperCase()} ${lo === hi ? lo : `${lo}-${hi}`}`;
  return { ports, risky, controls };
}

/** `22, 3389` or `20, 21, 22 and 21 more`. */
export function listPorts(ports: readonly number[]): string {
  return ports.length <= 4 ? ports.join(', ') : `${ports.slice(0, 3).join(', ')} and ${ports.length - 3} more`;
}
