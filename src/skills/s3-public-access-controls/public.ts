/**
 * What makes a bucket public, as S3 Block Public Access defines "public": canned ACLs and grants to
 * the AllUsers or AuthenticatedUsers groups, and policy statements that allow anyone without a
 * condition that fixes who or where the request comes from.
 */
import { coversAction, isPublicPrincipal, type PolicyDocument, type Statement } from '../policy-document.js';

export type Access = 'read' | 'write' | 'read and write';

const ALL_USERS = 'everyone (AllUsers)';
const AUTHENTICATED_USERS = 'any AWS account (AuthenticatedUsers)';

/** Canned ACLs that grant a public group access, in Terraform and CloudFormation spelling. */
export const PUBLIC_CANNED_ACLS: Readonly<Record<string, { readonly grantee: string; readonly access: Access }>> = {
  'public-read': { grantee: ALL_USERS, access: 'read' },
  'public-read-write': { grantee: ALL_USERS, access: 'read and write' },
  'authenticated-read': { grantee: AUTHENTICATED_USERS, access: 'read' },
  PublicRead: { grantee: ALL_USERS, access: 'read' },
  PublicReadWrite: { grantee: ALL_USERS, access: 'read and write' },
  AuthenticatedRead: { grantee: AUTHENTICATED_USERS, access: 'read' },
};

/** The public group a grantee URI names (`http://acs.amazonaws.com/groups/global/AllUsers`), if any. */
export function publicGroup(uri: string | undefined): string | undefined {
  const group = uri === undefined ? undefined : /\/groups\/global\/(AllUsers|AuthenticatedUsers)$/.exec(uri)?.[1];
  return group === 'AllUsers' ? ALL_USERS : group === 'AuthenticatedUsers' ? AUTHENTICATED_USERS : undefined;
}

function accessOf(read: boolean, write: boolean): Access | undefined {
  return read && write ? 'read and write' : read ? 'read' : write ? 'write' : undefined;
}

/** The access ACL permissions (`READ`, `WRITE_ACP`, `FULL_CONTROL`...) give. */
export function permissionAccess(permissions: readonly string[]): Access | undefined {
  return accessOf(
    permissions.some((p) => /^(READ|READ_ACP|FULL_CONTROL)$/.test(p)),
    permissions.some((p) => /^(WRITE|WRITE_ACP|FULL_CONTROL)$/.test(p)),
  );
}

// The "bad actions" of S3's definition of public, split by the control they concern (S3.2 read,
// S3.3 write), with concrete actions so that patterns such as `s3:*Object` are caught too.
const READ = { patterns: ['s3:Get*', 's3:List*'], samples: ['s3:GetObject', 's3:ListBucket'] };
const WRITE = {
  patterns: ['s3:Put*', 's3:Delete*', 's3:AbortMultipartUpload', 's3:RestoreObject'],
  samples: ['s3:PutObject', 's3:DeleteObject'],
};

function overlaps(actions: readonly string[], bad: typeof READ): boolean {
  return actions.some(
    (a) => bad.patterns.some((p) => coversAction([p], a) || coversAction([a], p)) || bad.samples.some((s) => coversAction([a], s)),
  );
}

// Condition keys that, with fixed values, make a statement non-public (S3 "The meaning of public").
const FIXING_KEYS = new Set([
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:userid',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
]);

/** `IfExists` operators and negations match requests without the key: they fix nothing. */
const FIXING_OPERATOR = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)$/;

function fixes(operator: string, key: string, values: readonly string[]): boolean {
  if (!FIXING_OPERATOR.test(operator) || !FIXING_KEYS.has(key.toLowerCase()) || values.length === 0) return false;
  if (key.toLowerCase() === 'aws:sourceip') return values.every((v) => !/\/0$/.test(v));
  return values.every((v) => !/[*?]/.test(v));
}

/** True when a statement's condition fixes who or where a request comes from. */
function narrowed(statement: Statement): boolean {
  return Object.entries(statement.condition).some(([operator, keys]) =>
    Object.entries(keys).some(([key, values]) => fixes(operator, key, values)),
  );
}

export interface PublicStatement {
  /** `"Sid"`, or `#n` (1-based) for a statement without one. */
  readonly label: string;
  readonly access: Access;
}

/** Statements that allow anyone to read or write, with no condition fixing who or where. */
export function publicStatements(document: PolicyDocument): PublicStatement[] {
  return document.statements.flatMap((s, i): PublicStatement[] => {
    if (s.effect !== 'Allow' || !(s.notPrincipal || isPublicPrincipal(s.principal)) || narrowed(s)) return [];
    // NotAction allows everything it does not name: read and write alike.
    const access = s.notActions.length > 0 ? 'read and write' : accessOf(overlaps(s.actions, READ), overlaps(s.actions, WRITE));
    return access ? [{ label: s.sid !== undefined ? `"${s.sid}"` : `#${i + 1}`, access }] : [];
  });
}
