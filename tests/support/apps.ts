import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadedApp } from '../../infra/src/app/descriptor';
import { loadAppFile } from '../../infra/src/app/load';

/**
 * The apps the product's tests use as their subject (never the repository's example): each a folder under
 * tests/support/apps/, written as a user writes theirs. `parcels` and `library` are complete projects (descriptor,
 * Lambda entry, Pulumi.yaml, a dev stack, index.ts), so a command run in their folder serves them as it would a
 * user's repository, and so are `plain` and `formats`; `ping` is a descriptor only, served through KOA_APIGATEWAY_APP.
 */
export interface FixtureApp {
  name: 'parcels' | 'library' | 'ping' | 'plain' | 'formats' | 'media' | 'streams';
  /** The app's folder: the project root for the commands and the Pulumi program (Pulumi.yaml is there). */
  dir: string;
  /** Its descriptor, `<dir>/app.config.ts`. */
  descriptor: string;
}

const APPS = path.resolve(__dirname, 'apps');

function fixture(name: FixtureApp['name']): FixtureApp {
  return { name, dir: path.join(APPS, name), descriptor: path.join(APPS, name, 'app.config.ts') };
}

/** The parcels app: health, CRUD with body/query/path/header validation and defaults, 201/204, If-Match, CORS, user-pool routes. */
export const PARCELS = fixture('parcels');
/** The library app: two path parameters, a required query and header, a prefixed nested router, a plain text route. */
export const LIBRARY = fixture('library');
/** The one-route ping app: a setting of its own and local services. */
export const PING = fixture('ping');
/** A plain Koa app adopted route by route (@koa/bodyparser, its own error handler, route(), a descriptor routes entry, an undeclared POST): project `plain-notes`. */
export const PLAIN = fixture('plain');
/** The media app: a PNG response and an octet-stream upload, declared binary (docs/binary.md); a descriptor only, like ping. */
export const MEDIA = fixture('media');
/** The streams app: bodies written every way Koa allows, and streamed routes (`stream: true`, group `live`: docs/streaming.md); a descriptor only. */
export const STREAMS = fixture('streams');
/** The address book: fields declaring every format TypeBox checks, and one of the app's own: project `address-book`. */
export const FORMATS = fixture('formats');

/** Returns the app's checked descriptor, as every command reads it (infra/src/app/load.ts). */
export function loadFixture(app: FixtureApp): LoadedApp {
  return loadAppFile(app.descriptor);
}

/** The app's Lambda bundle built by the tests' global setup, where `koa-apigateway build` puts it in its project. */
export function builtBundle(app: FixtureApp): string {
  return path.join(app.dir, 'dist', 'lambda', 'index.mjs');
}

/**
 * Returns a fresh copy of the app's project in a new folder of the system's temporary directory named
 * `<prefix>-XXXXXX`, with the repository's node_modules linked in (so `koa-apigateway` and the peers resolve as in
 * a user's project): a test may edit its sources and stack files. Built output and local state are not copied.
 * The caller removes it.
 */
/**
 * Adds `functions` to the descriptor of a copy of the parcels app (copyFixture(PARCELS, ...)): `groups` is the object's
 * source text, e.g. `{ write: { routes: ['POST /parcels'] } }`. Returns the descriptor's path.
 */
export function withFunctionGroups(project: string, groups: string): string {
  const descriptor = path.join(project, 'app.config.ts');
  const text = readFileSync(descriptor, 'utf8');
  const anchor = '  contracts: [parcelsContract],';
  if (!text.includes(anchor)) throw new Error(`${descriptor} has no "${anchor.trim()}" line to add functions after: is it a copy of the parcels app?`);
  writeFileSync(descriptor, text.replace(anchor, `${anchor}\n  functions: ${groups},`));
  return descriptor;
}

export function copyFixture(app: FixtureApp, prefix: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  cpSync(app.dir, copy, { recursive: true, filter: (source) => !['dist', '.local', 'node_modules'].includes(path.basename(source)) || source === app.dir });
  symlinkSync(path.resolve(__dirname, '../../node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}
