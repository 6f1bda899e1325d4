/**
 * The vocabulary of drift: differences as reported, and the property specs each resource type
 * declares so one engine compares every type the same way.
 */
import type { IacKind } from '../iac/source.js';
import type { ConfigItem } from './item.js';
import type { Declaration } from './declaration.js';
import type { Json, Partial, PObject } from './partial.js';

export type Category = 'exposure' | 'encryption' | 'iam' | 'network';

export interface Difference {
  /** Where, in cloudmend's own names for the type (`publicAccessBlock.blockPublicAcls`, `ingress[tcp 22 0.0.0.0/0]`). */
  readonly path: string;
  /** What the code declares; null when it declares nothing there (a live-only addition). */
  readonly declared: Json;
  /** What Config recorded; null when the live resource has nothing there. */
  readonly live: Json;
  readonly class: 'security' | 'benign';
  /** Set exactly when `class` is `security`. */
  readonly category?: Category;
  /** True when cloudmend can tell that the live value is less secure than the declared one. */
  readonly weakens: boolean;
  /**
   * Scalars only: the values as the code and Config wrote them, before `declared` and `live` were
   * made comparable (`Suspended` and `Disabled` both read as not versioned). Codify writes these.
   */
  readonly recorded?: { readonly declared: Json; readonly live: Json } | undefined;
  readonly why: string;
}

export interface DriftReport {
  /** The Config resource type and id of the live resource. */
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string | undefined;
  readonly kind: IacKind;
  /** Terraform address or CloudFormation logical id compared with it. */
  readonly address: string;
  readonly differences: readonly Difference[];
  /** Declared values cloudmend could not resolve (variables, parameters, attributes known after apply): compared as "anything". */
  readonly unknown: readonly string[];
  /** Declared properties the configuration item does not record, so they could not be compared. */
  readonly notRecorded: readonly string[];
  readonly drifted: boolean;
  /** True when any difference is security-relevant. */
  readonly security: boolean;
  /** True when any difference weakens security. */
  readonly weakens: boolean;
}

/** A report's differences with what they sum up to: drifted at all, security-relevant, weakening. */
export function withVerdict(
  differences: readonly Difference[],
  unknown: readonly string[] = [],
  notRecorded: readonly string[] = [],
): Pick<DriftReport, 'differences' | 'unknown' | 'notRecorded' | 'drifted' | 'security' | 'weakens'> {
  return {
    differences,
    unknown,
    notRecorded,
    drifted: differences.length > 0,
    security: differences.some((d) => d.class === 'security'),
    weakens: differences.some((d) => d.weakens),
  };
}

/** A map property (tags, environment variables); `open` when keys beyond `entries` may be declared. */
export class MapFact {
  constructor(
    readonly entries: PObject,
    readonly open: boolean = false,
  ) {}
}

/** A property's value on one side: undefined when not declared (code) or not recorded (live). */
export type Fact = Partial | MapFact | undefined;
export type Facts = Readonly<Record<string, Fact>>;

interface SpecBase {
  readonly path: string;
  /** Human name for messages: "S3 Block Public Access: BlockPublicAcls". */
  readonly label: string;
}

export interface ScalarSpec extends SpecBase {
  readonly kind: 'scalar';
  readonly category?: Category;
  /** Makes equivalent spellings equal (`"7"` and `7`, a key ARN and its id). */
  readonly normalize?: (value: Json) => Json;
  /** True when `live` is less secure than `declared`. */
  readonly weakens?: (declared: Json, live: Json) => boolean;
  /** For a property the code does not declare: why this live value is still drift, if it is. */
  readonly undeclared?: (live: Json) => string | undefined;
}

export interface SetSpec extends SpecBase {
  readonly kind: 'set';
  readonly itemLabel: (item: Partial) => string;
  readonly category: (item: Json) => Category | undefined;
  readonly weakens: (item: Json, change: 'added' | 'removed') => boolean;
  /** For a set the code does not declare: whether this live element is still drift. */
  readonly undeclared?: (item: Json) => boolean;
}

export interface MapSpec extends SpecBase {
  readonly kind: 'map';
  readonly category?: Category;
  /** Report secret-looking values as `(redacted)`. */
  readonly redact?: boolean;
  /** Live keys that are never drift (`aws:` tags set by AWS itself). */
  readonly ignoreLive?: (key: string) => boolean;
}

/** One policy document: compared statement by statement. */
export interface PolicySpec extends SpecBase {
  readonly kind: 'policy';
  /** Report live statements that widen access even when the code declares no document. */
  readonly undeclared?: boolean;
}

/** Named policy documents (a role's inline policies). */
export interface PolicyMapSpec extends SpecBase {
  readonly kind: 'policies';
}

export type Spec = ScalarSpec | SetSpec | MapSpec | PolicySpec | PolicyMapSpec;

/** What a resource type contributes: its specs and how to read both sides into facts by spec path. */
export interface DriftType {
  readonly configType: string;
  /** Declaring resource types per IaC kind (the first is the main one). */
  readonly terraform: readonly string[];
  readonly cloudformation: readonly string[];
  readonly specs: readonly Spec[];
  declared(declaration: Declaration): Facts;
  live(item: ConfigItem): Facts;
}
