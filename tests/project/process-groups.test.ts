import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupAlive, ROOT, runProcess, startProcess } from '../support/process';

const TREE = "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' }); console.log('grandchild ' + c.pid); setInterval(() => {}, 1000);";
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const gone = async (pid: number) => {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
};

describe('test processes run in their own process group, stopped as a whole', () => {
  it('stop() ends the child and what it started (the grandchild holding its pipes too)', async () => {
    const p = startProcess(process.execPath, ['-e', TREE]);
    const grandchild = Number((await p.waitFor(/grandchild (\d+)/))[1]);
    expect(alive(grandchild)).toBe(true);
    await p.stop('SIGTERM');
    expect(await gone(grandchild)).toBe(true);
    expect(groupAlive(p.pgid)).toBe(false);
  });

  it('runProcess kills the whole group on timeout', async () => {
    const started = Date.now();
    const r = await runProcess(process.execPath, ['-e', TREE], { timeoutMs: 1500 });
    expect(r.status).toBeNull();
    const grandchild = Number(/grandchild (\d+)/.exec(r.stdout)![1]);
    expect(await gone(grandchild)).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a failing test file leaves nothing running or in /tmp: the setup file stops every group, then removes its tempDir folders', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leak-'));
    try {
      const pidFile = path.join(dir, 'pids');
      const r = await runProcess(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'tests/project/leak/vitest.config.mts'], {
        env: { ...process.env, LEAK_PID_FILE: pidFile },
        timeoutMs: 90_000,
      });
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stdout + r.stderr).toContain('failing on purpose');
      const [leader, grandchild, folder] = readFileSync(pidFile, 'utf8').split(' ') as [string, string, string];
      expect(await gone(Number(grandchild))).toBe(true);
      expect(await gone(Number(leader))).toBe(true);
      expect(folder).toMatch(/leaky-/);
      expect(existsSync(folder), folder).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// The helper itself, this test (it names the pattern) and the failing fixture's child script.
const EXEMPT = ['tests/support/process.ts', 'tests/project/process-groups.test.ts', 'tests/project/leak/leaky.fixture.ts'];

it('no test starts a process except through tests/support/process.ts', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(?:[cm]?ts|[cm]?js)$/.test(entry.name) && !EXEMPT.includes(path.relative(ROOT, file))) {
        if (/from 'node:child_process'|require\('(?:node:)?child_process'\)|import\('node:child_process'\)/.test(readFileSync(file, 'utf8'))) offenders.push(path.relative(ROOT, file));
      }
    }
  };
  walk(path.join(ROOT, 'tests'));
  expect(offenders).toEqual([]);
});
