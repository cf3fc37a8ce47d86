/**
 * Whether `pulumi up` can compile the program with the project's own tsconfig.json. Pulumi's Node.js runner
 * registers ts-node with `module` and `moduleResolution` `nodenext`, overridden by the compilerOptions written in
 * the project's tsconfig.json itself (@pulumi/pulumi cmd/run/run.js; those of a file it `extends` are not read
 * there, so they lose to Pulumi's). A project that writes `"module": "commonjs"` (or an ES module kind) and no
 * `moduleResolution` thus reaches TypeScript as commonjs + nodenext, which it refuses (TS5110: "Option 'module'
 * must be set to 'NodeNext' when option 'moduleResolution' is set to 'NodeNext'"); the converse pair too (TS5109).
 * Such a project gets a tsconfig for Pulumi alone, extending its own with both `nodenext` (CommonJS output for a
 * package without `"type": "module"`), named in Pulumi.yaml's `runtime.options.tsconfig`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The tsconfig init writes for Pulumi when the project's own cannot serve (see the module's comment). */
export const PULUMI_TSCONFIG = 'tsconfig.pulumi.json';

/** The module kinds and resolutions that pair with `nodenext`. */
const NODE_FAMILY = /^node(?:16|18|20|next)$/i;

/**
 * Returns what in the project's tsconfig.json keeps Pulumi from compiling the program (`"module": "commonjs"`),
 * or undefined when nothing does or there is no tsconfig.json (Pulumi's own options apply then).
 */
export function pulumiTsconfigProblem(root: string): string | undefined {
  const file = path.join(root, 'tsconfig.json');
  if (!existsSync(file)) return undefined;
  let options: Record<string, unknown>;
  try {
    options = ((JSON.parse(stripJsonComments(readFileSync(file, 'utf8'))) as { compilerOptions?: Record<string, unknown> }).compilerOptions ?? {});
  } catch {
    return undefined;
  }
  const set = (['module', 'moduleResolution'] as const).filter((key) => typeof options[key] === 'string' && !NODE_FAMILY.test(options[key] as string));
  return set.length ? set.map((key) => `"${key}": "${String(options[key])}"`).join(' and ') : undefined;
}

/** Returns the tsconfig for Pulumi: the project's, with `module` and `moduleResolution` `nodenext`. */
export function pulumiTsconfigJson(): string {
  return `{
  // For Pulumi only (Pulumi.yaml runtime.options.tsconfig; written by koa-apigateway init): the project's own
  // tsconfig.json, with the module settings Pulumi's TypeScript compile of the program needs.
  "extends": "./tsconfig.json",
  "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext" }
}
`;
}

/** `text` (tsconfig's JSON with comments and trailing commas) as plain JSON. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
