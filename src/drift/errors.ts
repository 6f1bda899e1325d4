/** Mistakes in what `driftOf` is given: each message says what to pass instead. */
import { CloudmendError } from '../errors.js';

/** Not a configuration item, an oversized-item notification, or an item without type or id. */
export class InvalidConfigurationItemError extends CloudmendError {
  override name = 'InvalidConfigurationItemError';
  override readonly userFacing = true;
}

/** A Config resource type the comparator has no rules for. */
export class UnsupportedResourceTypeError extends CloudmendError {
  override name = 'UnsupportedResourceTypeError';
  override readonly userFacing = true;
}

/** The named resource is not in the files, or no resource of the item's type is. */
export class DeclaredResourceNotFoundError extends CloudmendError {
  override name = 'DeclaredResourceNotFoundError';
  override readonly userFacing = true;
}

/** Several resources could be the one the item describes, and nothing tells them apart. */
export class AmbiguousResourceError extends CloudmendError {
  override name = 'AmbiguousResourceError';
  override readonly userFacing = true;
}

/** The named resource is of a type that does not describe the item's resource. */
export class ResourceTypeMismatchError extends CloudmendError {
  override name = 'ResourceTypeMismatchError';
  override readonly userFacing = true;
}
