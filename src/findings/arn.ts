/** Parts of an Amazon Resource Name: `arn:partition:service:region:account:resource`. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|)?:(.+)$/;

/** Parses an ARN; undefined for anything else (including a resource id that merely contains colons). */
export function parseArn(value: string): Arn | undefined {
  const m = ARN.exec(value);
  if (!m) return undefined;
  const [, partition = '', service = '', region = '', account = '', resource = ''] = m;
  return { partition, service, region, account, resource };
}

/** The partition a region belongs to: aws-cn for China, aws-us-gov for GovCloud, otherwise aws. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/**
 * The human name in an ARN's resource part: `bucket` for S3, the last path segment for
 * `role/path/name`, the part after `type:` for `db:name`. Auto Scaling ARNs put the name after
 * `autoScalingGroupName/`, and the name itself may contain slashes.
 */
export function nameFromArn(arn: Arn): string {
  const { resource } = arn;
  const asg = resource.indexOf('autoScalingGroupName/');
  if (asg >= 0) return resource.slice(asg + 'autoScalingGroupName/'.length);
  const slash = resource.lastIndexOf('/');
  if (slash >= 0) return resource.slice(slash + 1);
  const colon = resource.indexOf(':');
  return colon >= 0 ? resource.slice(colon + 1) : resource;
}
