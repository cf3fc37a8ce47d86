import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIBRARY } from '../support/apps';
import { CLI, ROOT, startProcess } from '../support/process';

const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('Ctrl-C reaches the command itself (npm start, npm run dev)', () => {
  // tsx's CLI ran a script in a child and gave it 30 ms to acknowledge a SIGINT before killing it and exiting
  // 130: a gateway busy building its bundle never got to stop cleanly. The npm scripts call the package's bin,
  // a plain Node process with nothing between the signal and the command's own handler.
  it('npm start and npm run dev are the bin itself, with no wrapper', () => {
    expect(scripts.start).toBe('koa-apigateway start');
    expect(scripts.dev).toBe('koa-apigateway dev');
  });

  for (const command of ['start', 'dev']) {
    it(`koa-apigateway ${command}: SIGINT stops the gateway cleanly, exit 0`, { timeout: 90_000 }, async (ctx) => {
      // In a project (the library app's), as a user runs it.
      const bundleDir = path.join(LIBRARY.dir, 'dist', 'test-bundles', `signals-${command}-${ctx.task.id}`);
      const child = startProcess(process.execPath, [CLI, command], {
        cwd: LIBRARY.dir,
        env: { ...process.env, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir, PORT: '0', API_KEY: 'SignalsKey0123456789abcdef' },
      });
      await child.waitFor(/Local API Gateway listening on/, 60_000);
      const { code } = await child.stop('SIGINT');
      expect(child.stdout()).toContain('SIGINT: stopping the local gateway');
      expect(code).toBe(0);
    });
  }
});
