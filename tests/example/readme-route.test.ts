import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../infra/src/bundle/bundle';
import { copyProject, ROOT } from '../support/files';
import { runProcess, startProcess, type Started } from '../support/process';

/**
 * The README's "Add a route" section, applied as a reader would to a copy of the repository: its new file
 * written as shown, its diff applied to service/app.ts. Then the route must appear where the README says:
 * `npm run synth`, the local gateway (`npm start`, and the README's curl lines as written), /openapi.json.
 */
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Returns the code blocks of a markdown text whose info string names a file: ```ts title="path". */
export function titledBlocks(markdown: string): { lang: string; file: string; code: string }[] {
  return [...markdown.matchAll(/^```(\w+) title="([^"]+)"\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, file: m[2]!, code: m[3]! }));
}

/**
 * Applies a README diff: each `+` line goes after the line before it (a ` ` context line, or the `+` line
 * just inserted); `@@` separates hunks. Throws when a context line is not in `text` exactly once.
 */
export function applyDiff(text: string, diff: string): string {
  const lines = text.split('\n');
  let at = -1;
  for (const line of diff.split('\n')) {
    if (line === '' || line.startsWith('@@')) continue;
    const body = line.slice(1);
    if (line.startsWith(' ')) {
      const found = lines.flatMap((l, i) => (l === body ? [i] : []));
      if (found.length !== 1) throw new Error(`context line found ${found.length} times: ${JSON.stringify(body)}`);
      at = found[0]!;
    } else if (line.startsWith('+')) {
      if (at < 0) throw new Error(`a + line with no context before it: ${JSON.stringify(body)}`);
      lines.splice(++at, 0, body);
    } else throw new Error(`unexpected diff line: ${JSON.stringify(line)}`);
  }
  return lines.join('\n');
}

/** The npm CLI running this test (npm test), else the one on PATH. */
const npm = (args: string[]) => (process.env.npm_execpath?.endsWith('.js') ? [process.execPath, [process.env.npm_execpath, ...args]] : ['npm', args]) as [string, string[]];

describe("the README's Add a route section, applied to a copy of the repository", () => {
  let copy: string;
  let gateway: Started;
  let stageUrl: string;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  // Where npm was started and the parent's key choice must not leak into the copy's commands.
  delete env.INIT_CWD;
  delete env.API_KEY;
  delete env.STACK;

  beforeAll(async () => {
    // The copy's own dist/ and .local/, the original's dependencies.
    copy = copyProject('readme-route');

    const blocks = titledBlocks(README);
    expect(blocks.map((b) => `${b.lang} ${b.file}`)).toEqual(['ts service/notes/schemas.ts', 'ts service/notes/routes.ts', 'diff service/app.ts']);
    for (const block of blocks) {
      const target = path.join(copy, block.file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, block.lang === 'diff' ? applyDiff(readFileSync(target, 'utf8'), block.code) : block.code);
    }
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop('SIGTERM');
    rmSync(copy, { recursive: true, force: true });
  });

  it('npm run synth plans the route: its resource, methods and models', async () => {
    const [cmd, args] = npm(['run', 'synth', '--', '--json', '--out', 'plan.json']);
    const run = await runProcess(cmd, args, { cwd: copy, env });
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(copy, 'plan.json'), 'utf8')) as { resources: { type: string; inputs: Record<string, unknown> }[] };
    const text = JSON.stringify(plan);
    for (const name of ['NoteCreate', 'createNote', 'listNotes']) expect(text, name).toContain(name);
    // A `notes` resource of its own, or (one OpenAPI body) the path itself.
    const notesResource = plan.resources.some((r) => r.type === 'aws:apigateway/resource:Resource' && r.inputs.pathPart === 'notes');
    expect(notesResource || text.includes('/api/v1/notes')).toBe(true);
    // The text plan lists them under the RestApi, as the README says.
    const [textCmd, textArgs] = npm(['run', 'synth']);
    const textRun = await runProcess(textCmd, textArgs, { cwd: copy, env });
    expect(textRun.status, textRun.stderr).toBe(0);
    expect(textRun.stdout).toMatch(/operations in the body:\n(?: {6}.*\n)*? {6}POST +\/api\/v1\/notes  createNote\n/);
    expect(textRun.stdout).toMatch(/ {6}GET +\/api\/v1\/notes  listNotes\n/);
  }, 180_000);

  it("bundles the route's schemas as JSON: none of TypeBox's type builders in the Lambda", async () => {
    const { metafile } = await bundleLambda({ root: copy, outDir: path.join(copy, 'dist', 'lambda') });
    const inputs = Object.keys(Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!.inputs);
    expect(inputs.some((i) => i.endsWith('service/notes/routes.ts'))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/typebox\/build\/(compile|value|type)\//.test(i))).toEqual([]);
  }, 120_000);

  it('npm start serves it, and the README’s curl lines work as written', async () => {
    const [cmd, args] = npm(['start']);
    gateway = startProcess(cmd, args, { cwd: copy, env });
    stageUrl = (await gateway.waitFor(/Local API Gateway listening on (http:\/\/\S+)/, 90_000))[1]!;
    expect(gateway.stdout()).toMatch(new RegExp(`POST\\s+${stageUrl}/api/v1/notes\\s+x-api-key\\s+createNote`));
    expect(gateway.stdout()).toMatch(new RegExp(`GET\\s+${stageUrl}/api/v1/notes\\s+x-api-key\\s+listNotes`));

    const curls = /in another terminal:\n\n```sh\n([\s\S]*?)```/.exec(README)?.[1];
    expect(curls).toBeDefined();
    const port = new URL(stageUrl).port;
    const script = curls!.replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`);
    // Each curl line after the lines that set variables (curl prints no newline after a body).
    const lines = script.split('\n').filter((l) => l.trim() !== '');
    const prelude = lines.filter((l) => !l.startsWith('curl ')).join('\n');
    const outputs: string[] = [];
    for (const line of lines.filter((l) => l.startsWith('curl '))) {
      const run = await runProcess('bash', ['-e', '-c', `${prelude}\n${line}`], { cwd: copy, env });
      expect(run.status, `${line}\n${run.stderr}`).toBe(0);
      outputs.push(run.stdout);
    }
    const [created, listed, rejected] = outputs as [string, string, string];
    expect(JSON.parse(created)).toMatchObject({ text: 'hello', id: expect.any(String) });
    expect(JSON.parse(listed)).toEqual({ items: [JSON.parse(created)] });
    // The gateway's own 400 (the validator's detail goes to its log: docs/api-definition.md).
    expect(JSON.parse(rejected)).toMatchObject({ message: 'Invalid request body' });
  }, 120_000);

  it('/openapi.json documents it', async () => {
    expect(stageUrl).toBeDefined();
    const doc = (await (await fetch(`${new URL(stageUrl).origin}/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    expect(doc.paths['/api/v1/notes']?.post?.operationId).toBe('createNote');
    expect(doc.paths['/api/v1/notes']?.get?.operationId).toBe('listNotes');
  });
});

describe('the README snippet helpers', () => {
  it('apply a diff after its context lines, and refuse a context line that is not there', () => {
    expect(applyDiff('a\nb\nc', ' a\n+x\n@@\n c\n+y\n+z')).toBe('a\nx\nb\nc\ny\nz');
    expect(() => applyDiff('a', ' q\n+x')).toThrow(/found 0 times/);
  });
});
