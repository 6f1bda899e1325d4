/** The artifact store port: S3 in AWS, a directory locally. */

/** Where patches wait between tasks: Step Functions payloads are limited to 256 KB. */
export interface Artifacts {
  put(key: string, value: unknown): Promise<void>;
  /** Throws when the key does not exist. */
  get<T>(key: string): Promise<T>;
}

/** Reading only: what a piece that judges a stored patch but writes none is given (the Slack endpoint). */
export type ArtifactReader = Pick<Artifacts, 'get'>;
