import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Marks a DATA_DIR as never to be committed, the way a Python virtualenv does: a `.gitignore`
 * of `*` inside it. `.data/` is in the repository's .gitignore, but any other DATA_DIR (a restore
 * target, a second checkout's data) would otherwise show up as an untracked folder.
 */
export async function keepOutOfGit(dataDir: string): Promise<void> {
  const marker = join(dataDir, '.gitignore');
  if (existsSync(marker)) return;
  await mkdir(dataDir, { recursive: true });
  await writeFile(marker, '# Databases of VoidTracker (DATA_DIR): never committed.\n*\n');
}
