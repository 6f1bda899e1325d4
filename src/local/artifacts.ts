/** The artifact store on disk, under the state directory: one JSON file per key. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { CloudmendError } from '../errors.js';
import type { Artifacts } from '../artifacts/port.js';

export function fileArtifacts(dir: string): Artifacts {
  const pathOf = (key: string): string => {
    const rel = normalize(key);
    if (rel.startsWith('..') || rel.startsWith(sep) || rel.includes('\0'))
      throw new CloudmendError(`artifact key ${key} leaves the artifact store`);
    return join(dir, rel);
  };
  return {
    put(key, value) {
      const path = pathOf(key);
      mkdirSync(dirname(path), { recursive: true });
      // Write then rename: a reader never sees half a patch, even if the process dies mid-write.
      writeFileSync(`${path}.tmp`, JSON.stringify(value));
      renameSync(`${path}.tmp`, path);
      return Promise.resolve();
    },
    get<T>(key: string) {
      try {
        return Promise.resolve(JSON.parse(readFileSync(pathOf(key), 'utf8')) as T);
      } catch (cause) {
        return Promise.reject(new CloudmendError(`artifact ${key} cannot be read from ${dir}`, { cause }));
      }
    },
  };
}
