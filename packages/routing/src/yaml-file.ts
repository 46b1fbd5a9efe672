import { ShotcallerError } from '@shotcaller/contracts';
import { LineCounter, parseDocument } from 'yaml';

/** A policy or rate-card file that is not even valid YAML. */
export class YamlSyntaxError extends ShotcallerError {
  readonly code = 'yaml_syntax_error';
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    reason: string,
  ) {
    super(`${source}${line ? `:${line}` : ''}: ${reason}`);
  }
}

export function parseYamlText(text: string, source: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    throw new YamlSyntaxError(
      source,
      lines.linePos(error.pos[0]).line,
      error.message.split('\n')[0] ?? 'invalid YAML',
    );
  }
  return doc.toJSON();
}
