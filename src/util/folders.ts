// A folder a run writes to, made and shown writable before anything else happens.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns on some paths it cannot make
 * (a folder under /proc), where this fails at once with the reason.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
}

/** Makes the folder and writes a file in it; returns why it could not (an errno code), else undefined. */
export function unwritableFolder(dir: string): string | undefined {
  try {
    makeFolders(dir);
    const probe = join(dir, `.sc-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}
