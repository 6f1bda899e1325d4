/** The pull-request note every encryption fix carries: it replaces the database. */

/**
 * Encrypting existing storage is not an in-place change: the resource is replaced by a new, empty
 * one. The note says so, and how to carry the data over, so that nobody applies it blindly.
 */
export function replacementNote(resource: string, setting: string, what: 'instance' | 'cluster'): string {
  const copy = what === 'cluster' ? 'copy-db-cluster-snapshot' : 'copy-db-snapshot';
  const dependents = what === 'cluster' ? 'its instances are recreated with it' : 'read replicas must then be recreated from it';
  return (
    `Set ${setting} to true in ${resource}. This REPLACES the DB ${what} with a new, empty one. ` +
    `For a ${what} that holds data: take a snapshot, copy it with encryption (aws rds ${copy} --kms-key-id ...), ` +
    `and restore the ${what} from the encrypted copy (or migrate the data) in a maintenance window; ${dependents}.`
  );
}
