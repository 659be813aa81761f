import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What the data folder's own `.gitignore` says: nothing in it belongs in git. */
export const DATA_FOLDER_GITIGNORE =
  '# Written by the Confluence emulator: a development shared secret and keys, never for git.\n*\n';

/**
 * Creates the folder where the emulator keeps the tenant across runs (`emulate --data`, `npm run dev`'s data folder)
 * and writes a `.gitignore` of its own into it, so the development shared secret it holds is not committed even when
 * the folder sits inside the app's repository and nobody listed it. A `.gitignore` already there is left as it is.
 *
 * @example
 * await prepareDataFolder('./emulator-data'); // ./emulator-data/.gitignore: "*"
 */
export async function prepareDataFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  try {
    await writeFile(path.join(folder, '.gitignore'), DATA_FOLDER_GITIGNORE, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
