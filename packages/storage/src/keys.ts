import { InvalidKey } from './errors';

const segment = /^(?!\.\.?$)[\w.@+=-]+$/;

/** Throws unless `key` is relative, "/"-separated, and has no empty, `.` or `..` segment. */
export function assertKey(key: string): void {
  if (!key || key.split('/').some((s) => !segment.test(s))) throw new InvalidKey(key);
}

/** A file name as a key segment: anything outside letters, digits, `.`, `_` and `-` becomes `_`. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_');
  return cleaned || '_';
}

/** Where an AI attempt's frames and manifest live. */
export function outputPrefix(show: string, shotId: string, attempt: number): string {
  return `outputs/${safeName(show)}/${safeName(shotId)}/attempt-${attempt}`;
}

/** Where a vendor's upload for a ticket lands; `uploadId` keeps two uploads of one name apart. */
export function deliveryPrefix(show: string, shotId: string): string {
  return `deliveries/${safeName(show)}/${safeName(shotId)}`;
}

/** Temp files of writes under way end with this; listings skip them and the cleanup removes old ones. */
export const partialSuffix = '.partial';

const contentTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  exr: 'image/x-exr',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  json: 'application/json',
};

/** The media type of a file by its extension; `application/octet-stream` when unknown. */
export function contentTypeOf(name: string): string {
  return contentTypes[/\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}
