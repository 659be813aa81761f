import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareEmulator } from '../../emulator/node/start-emulator';
import { prepareDataFolder } from '../../emulator/node/data-folder';

const git = promisify(execFile);

/**
 * `emulate --data <dir>` keeps the tenant (its development shared secret in plain text) in a folder that usually sits
 * inside the app's own repository (issue 19, item 8): the folder says by itself that none of it goes into git.
 */
describe('the emulator data folder', () => {
  let repo: string;

  beforeEach(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'cik-data-folder-'));
    await git('git', ['init', '--quiet'], { cwd: repo });
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('is written with a .gitignore of its own (*), so git ignores the tenant file in an app repository', async () => {
    const dataDir = path.join(repo, 'emulator-data');
    // The emulate command's own code path; it writes the folder before anything listens.
    await prepareEmulator({ descriptorUrl: 'http://localhost:3000/atlassian-connect.json', port: 0, dataDir });
    expect(await readFile(path.join(dataDir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    await writeFile(path.join(dataDir, 'emulator-tenant.json'), '{"sharedSecret":"development-secret"}');
    const { stdout } = await git('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo });
    expect(stdout).toBe('');
  });

  it('leaves a .gitignore the developer already wrote as it is', async () => {
    const dataDir = path.join(repo, 'emulator-data');
    await prepareDataFolder(dataDir);
    await writeFile(path.join(dataDir, '.gitignore'), '# mine\n*.json\n');
    await prepareDataFolder(dataDir);
    expect(await readFile(path.join(dataDir, '.gitignore'), 'utf8')).toBe('# mine\n*.json\n');
  });
});
