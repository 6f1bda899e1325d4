/**
 * `external-read`: what Terraform would read, when it plans, from outside the code and the cloud
 * account: files where it runs (`file()`, `templatefile()`, `filebase64()`, `fileset()` and the
 * other file functions, `data "local_file"`, `data "archive_file"`), the network (`data "http"`,
 * `data "tls_certificate"`, `data "dns_*"`), other state (`data "terraform_remote_state"`), and
 * `ephemeral` resources, which open secrets or sessions at plan time. `check` blocks count when
 * they hold a data source: Terraform reads it on every plan. A change that reads what it did not
 * read before is refused: the output of a plan is where such reads leak to.
 */
import { FILE_READERS } from '../iac/terraform/functions.js';
import { added, type Fact } from './facts.js';
import type { Resource, Setting, Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { holderOf } from './walk.js';

const READERS: readonly [RegExp, string][] = [
  [/^(local_file|local_sensitive_file|archive_file)$/, 'reads files where Terraform runs'],
  [/^(http|tls_certificate)$/, 'fetches a URL when Terraform plans'],
  [/^dns_/, 'queries DNS when Terraform plans'],
  [/^terraform_remote_state$/, 'reads the state of another configuration'],
];

function fileCalls(x: Resource | Setting): Fact[] {
  const holder = holderOf(x);
  return [...x.callTexts].filter(([, name]) => FILE_READERS.has(name)).map(([call, name]) => ({ holder, key: `calls ${call}`, message: `${holder.id} calls ${name}(), which reads a file where Terraform runs` }));
}

function sources(r: Resource): Fact[] {
  const holder = holderOf(r);
  if (r.mode === 'ephemeral') return [{ holder, key: `ephemeral ${r.text}`, message: `${r.id} is a new or changed ephemeral resource: it opens what it names when Terraform plans` }];
  if (r.mode !== 'data') return [];
  const found = READERS.find(([type]) => type.test(r.type));
  return found ? [{ holder, key: `reads ${r.text}`, message: `${r.id} is a new or changed data source: it ${found[1]}` }] : [];
}

function checks(s: Setting): Fact[] {
  // An `external` data source runs a program: code-execution's to judge.
  if (s.kind !== 'check' || !s.blocks.some((b) => b.type === 'data' && b.labels[0] !== 'external')) return [];
  return [{ holder: holderOf(s), key: `check ${s.text}`, message: `the check block ${s.labels[0] ?? ''} is new or changed and holds a data source, which Terraform reads on every plan` }];
}

function facts(side: Side): Fact[] {
  return [...side.resources.flatMap((r) => [...sources(r), ...fileCalls(r)]), ...side.settings.flatMap((s) => [...fileCalls(s), ...checks(s)])];
}

/** Reads from outside the code and the account that the patch adds. */
export function externalReads(before: Side, after: Side): GuardrailViolation[] {
  return added('external-read', facts(before), facts(after));
}
