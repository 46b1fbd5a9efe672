import type { z } from 'zod';
import { type FieldIssue, ValidationFailed } from './errors';

/** Formats a zod issue path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** Turns zod issues into field issues a person can act on, unknown fields named one by one. */
export function toFieldIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const base = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: formatPath([...base, key]), message: 'unknown field' });
      }
    } else if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      out.push({ path: formatPath(base), message: 'is required' });
    } else {
      out.push({ path: formatPath(base), message: issue.message });
    }
  }
  return out;
}

/** Parses `input` with `schema` or throws {@link ValidationFailed} naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationFailed(subject, toFieldIssues(result.error));
  return result.data;
}
