/**
 * What TypeBox's format registry (`typebox/format`) offers: its entries (name → check of a string) and lookup.
 * TypeBox keeps one registry per copy of its modules.
 */
export interface FormatRegistry {
  Entries(): Array<[string, (value: string) => boolean]>;
  Has(format: string): boolean;
}

/** Where route kits record their registries in this process; `Symbol.for` so copies of this module agree. */
const REGISTRIES = Symbol.for('koa-apigateway.format-registries');

type WithRegistries = typeof globalThis & { [REGISTRIES]?: Set<FormatRegistry> };

/**
 * Records `registry`, the one a copy of the route kit compiles its validators against. The CLI loads an app
 * through tsx, which gives the app (and the route kit it imports) a copy of TypeBox of its own: a format the
 * app registers with `Format.Set` is in that copy's registry only, which the plan and the bundle generator
 * (in the CLI's copy) read through here.
 */
export function recordFormatRegistry(registry: FormatRegistry): void {
  ((globalThis as WithRegistries)[REGISTRIES] ??= new Set()).add(registry);
}

/** Returns the registries route kits recorded in this process (none before a route kit was loaded). */
export function recordedFormatRegistries(): FormatRegistry[] {
  return [...((globalThis as WithRegistries)[REGISTRIES] ?? [])];
}
