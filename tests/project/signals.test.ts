import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, startProcess } from '../support/process';

const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const FIXTURE = path.join(__dirname, 'fixtures', 'late-sigint.ts');

/**
 * Returns the command an npm script runs after the Node check, with its TypeScript entry replaced by
 * `entry`, as [executable, ...args]: `node` is this Node, a bare `tsx` the repository's tsx.
 */
function commandOf(script: string, entry: string): string[] {
  const command = scripts[script]!.replace(/^node scripts\/check-node\.cjs && /, '').split(' ');
  return command.map((word, i) => (i === 0 && word === 'node' ? process.execPath : i === 0 && word === 'tsx' ? path.join(ROOT, 'node_modules', '.bin', 'tsx') : /\.ts$/.test(word) ? entry : word));
}

describe('Ctrl-C reaches the script itself (npm start, npm run dev)', () => {
  // tsx's CLI runs the script in a child and gives it 30 ms to acknowledge a SIGINT before it kills it and
  // exits 130: a gateway busy building its bundle never got to stop cleanly. The scripts run under
  // `node --import tsx`, where the signal goes straight to the script's own handler.
  for (const script of ['start', 'dev']) {
    it(`npm run ${script}: a script busy when SIGINT arrives still runs its handler and exits 0`, async () => {
      const [command, ...args] = commandOf(script, FIXTURE);
      const child = startProcess(command!, args, { cwd: ROOT });
      await child.waitFor(/ready/);
      const { code } = await child.stop('SIGINT');
      expect(child.stdout()).toContain('stopped cleanly');
      expect(code).toBe(0);
    });
  }
});
