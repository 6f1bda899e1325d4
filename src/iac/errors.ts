import { CloudmendError } from '../errors.js';

/** A source file that does not parse: names the file, line and column. */
export class IacSyntaxError extends CloudmendError {
  override name = 'IacSyntaxError';
  override readonly userFacing = true;
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(file: string, text: string, offset: number, detail: string) {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    super(`${file}:${line}:${column}: ${detail}`);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** A path that would leave the repository root (`..`, absolute, or through a symlink). */
export class OutsideRepositoryError extends CloudmendError {
  override name = 'OutsideRepositoryError';
  override readonly userFacing = true;
}

/** A repository file cloudmend does not read: not a regular file, or larger than a hand-written IaC file. */
export class UnreadableFileError extends CloudmendError {
  override name = 'UnreadableFileError';
  override readonly userFacing = true;
}
