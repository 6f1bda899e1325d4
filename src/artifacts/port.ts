/** The artifact store port: S3 in AWS, a directory locally. */

/** Where patches wait between tasks: Step Functions payloads are limited to 256 KB. */
export interface Artifacts {
  put(key: string, value: unknown): Promise<void>;
  /** Throws when the key does not exist. */
  get<T>(key: string): Promise<T>;
}
