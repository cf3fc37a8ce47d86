import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARCELS, STREAMS } from '../../../support/apps';
import { CLI, runProcess } from '../../../support/process';

/** `koa-apigateway synth` of the streams app (its `stream: true` routes in the group `live`): the STREAM integrations show (docs/streaming.md). */
describe('koa-apigateway synth with streamed routes', () => {
  const bundle = mkdtempSync(path.join(tmpdir(), 'synth-streaming-bundle-'));
  let text: Awaited<ReturnType<typeof runProcess>>;
  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, KOA_APIGATEWAY_APP: STREAMS.descriptor, KOA_APIGATEWAY_BUNDLE_DIR: bundle };
    delete env.INIT_CWD;
    delete env.STACK;
    text = await runProcess(process.execPath, [CLI, 'synth'], { cwd: PARCELS.dir, env, timeoutMs: 120_000 });
  }, 180_000);
  afterAll(() => rmSync(bundle, { recursive: true, force: true }));

  it('marks each streamed operation of the body STREAM, and the buffered ones not', () => {
    expect(text.status, text.stderr).toBe(0);
    for (const op of ['/live/broken  getLiveBroken', '/live/gated  getLiveGated', '/live/raw  getLiveRaw']) expect(text.stdout).toMatch(new RegExp(`GET\\s+${op}  STREAM\\n`));
    expect(text.stdout).toMatch(/GET\s+\/csv\/raw  getCsvRaw\n/);
  });

  it('says which function streams, and tells it RESPONSE_TRANSFER_MODE=STREAM', () => {
    expect(text.stdout).toMatch(/ {2}live {2}\(streams-live-fn\): .*, streams responses \(responseTransferMode STREAM\)\n/);
    expect(text.stdout).not.toMatch(/ {2}default {2}\(streams-fn\): .*streams responses/);
    expect(text.stdout).toContain('"RESPONSE_TRANSFER_MODE":"STREAM"');
  });
});
