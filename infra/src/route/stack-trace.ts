import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Source maps by generated file path; `null` when the file has none beside it. Read once, on the first error logged. */
const maps = new Map<string, SourceMap | null>();

/** A V8 stack frame's location: `file:///var/task/index.mjs:1:2345` or `/abs/file.js:10:4`, optionally in parentheses. */
const FRAME_LOCATION = /(file:\/\/\/[^\s()]+|\/[^\s():]+):(\d+):(\d+)/;

/**
 * Returns `stack` (an Error's `stack` text) with every frame in a bundled file mapped to its original
 * source through the `<file>.map` beside it (as esbuild writes it: `index.mjs` → `index.mjs.map`):
 * `at route (file:///var/task/index.mjs:1:2345)` becomes `at route (file:///infra/src/route/route.ts:88:5)`,
 * paths resolved against the map's location, lines and columns 1-based, as `node --enable-source-maps`
 * prints them. Frames without a map (Node internals, unbundled sources) are left as they are.
 *
 * This is how the function keeps TypeScript stack traces without `NODE_OPTIONS=--enable-source-maps`,
 * which makes Node read and parse the whole map at every cold start: here the map is read on the first
 * error logged, and only then (Node's own `process.setSourceMapsEnabled(true)` would be too late for a
 * module already loaded). Uses Node's `module.SourceMap` (Source Map revision 3).
 */
export function mapStackTrace(stack: string): string {
  return stack
    .split('\n')
    .map((line) => {
      const match = FRAME_LOCATION.exec(line);
      if (!match) return line;
      const [location, file, lineText, columnText] = match as unknown as [string, string, string, string];
      const filePath = file.startsWith('file://') ? fileURLToPath(file) : file;
      const map = sourceMapOf(filePath);
      if (!map) return line;
      const entry = map.findEntry(Number(lineText) - 1, Number(columnText) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return line;
      const source = /^[a-z]+:/i.test(entry.originalSource) ? entry.originalSource : pathToFileURL(path.resolve(path.dirname(filePath), entry.originalSource)).href;
      return line.replace(location, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
    })
    .join('\n');
}

function sourceMapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map !== undefined) return map;
  map = null;
  try {
    const mapFile = `${file}.map`;
    if (existsSync(mapFile)) map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  } catch {
    // An unreadable or malformed map: the stack stays as V8 wrote it.
  }
  maps.set(file, map);
  return map;
}
