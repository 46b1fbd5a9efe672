import type { PathMapping } from './config';

/**
 * Path mapping, as render farm managers do it: the same share is `/mnt/shows` on the farm, `S:\shows`
 * for an artist on Windows and `/Volumes/shows` on a Mac. These functions are pure, so a path written
 * on any platform can be translated on any other.
 */

const windowsStyle = (p: string) => /^[A-Za-z]:([\\/]|$)/.test(p) || p.startsWith('\\\\');

/** Forward slashes, no trailing separator; Windows paths compare case-insensitively. */
function comparable(p: string): string {
  let s = p.replace(/\\/g, '/');
  if (s.length > 1) s = s.replace(/\/+$/, '');
  return windowsStyle(p) ? s.toLowerCase() : s;
}

/** The part of `path` below `root` with "/" separators ('' for the root itself), or undefined when outside. */
export function below(path: string, root: string): string | undefined {
  const p = comparable(path);
  const r = comparable(root);
  if (p === r) return '';
  const prefix = r.endsWith('/') ? r : `${r}/`;
  if (!p.startsWith(prefix)) return undefined;
  return path.replace(/\\/g, '/').slice(prefix.length).replace(/\/+$/, '');
}

/** `rest` ("/"-separated) under `root`, written in the root's own style. */
export function under(root: string, rest: string): string {
  if (!rest) return root;
  if (windowsStyle(root)) return `${root.replace(/[\\/]+$/, '')}\\${rest.replace(/\//g, '\\')}`;
  return `${root.replace(/\/+$/, '')}/${rest}`;
}

/** The member of each mapping that holds `localRoot`: how this machine sees that share. */
function localMember(mapping: PathMapping, path: string): string | undefined {
  return mapping
    .filter((m) => below(path, m) !== undefined)
    .sort((a, b) => comparable(b).length - comparable(a).length)[0];
}

/**
 * `path` (written on any machine the mappings name) as this machine sees it, given the store's root
 * here; undefined when no mapping reaches it. A path already under `localRoot` is returned as it is.
 */
export function toLocalPath(
  path: string,
  mappings: readonly PathMapping[],
  localRoot: string,
): string | undefined {
  if (below(path, localRoot) !== undefined) return path;
  let best: { from: string; to: string } | undefined;
  for (const mapping of mappings) {
    const to = localMember(mapping, localRoot);
    const from = localMember(mapping, path);
    if (!to || !from) continue;
    if (!best || comparable(from).length > comparable(best.from).length) best = { from, to };
  }
  return best ? under(best.to, below(path, best.from)!) : undefined;
}

/** A path on this machine as every other member of its mappings sees it (itself first). */
export function equivalentPaths(localPath: string, mappings: readonly PathMapping[]): string[] {
  const out = [localPath];
  for (const mapping of mappings) {
    const from = localMember(mapping, localPath);
    if (!from) continue;
    const rest = below(localPath, from)!;
    for (const member of mapping) if (member !== from) out.push(under(member, rest));
  }
  return [...new Set(out)];
}

/** The path a `file:` URI names, in its own platform's style (`file:///S:/x` is `S:\x`, `file://host/share` is UNC). */
export function pathOfFileUri(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'file:') return undefined;
  const pathname = decodeURIComponent(url.pathname);
  if (url.host) return `\\\\${url.host}${pathname.replace(/\//g, '\\')}`;
  if (/^\/[A-Za-z]:(\/|$)/.test(pathname)) return pathname.slice(1).replace(/\//g, '\\');
  return pathname;
}

/** The `file:` URI of a path written in any platform's style. */
export function fileUriOf(path: string): string {
  const encode = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  if (path.startsWith('\\\\')) {
    const [host, ...rest] = path.slice(2).split('\\');
    return `file://${host}/${encode(rest.join('/'))}`;
  }
  if (windowsStyle(path)) return `file:///${path.slice(0, 2)}${encode(path.slice(2).replace(/\\/g, '/'))}`;
  return `file://${encode(path)}`;
}
