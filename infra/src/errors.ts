/**
 * The package's user errors, in one file so a reader finds them (as Fastify keeps its error codes in one):
 * each is a {@link VisibleError} whose message names what is wrong and the fix, and is told apart with
 * `instanceof`, never by its text. The schema errors of the plan (ModelConversionError and
 * ImportableSchemaError, core/plan/) and the conformance suite's SampleError stay beside the code that
 * builds their messages. Messages that name a config key use the running project's namespace
 * (`<project>:<key>`, the Pulumi.yaml `name`), never this package's name.
 */
import { SETTING_DEFAULTS, SETTING_KEYS, isSettingKey } from './settings/keys';
import { closest } from './settings/suggest';

/**
 * A failure caused by the user's input (a setting, a stack name, a route API Gateway cannot deploy, a
 * command-line argument, an API document) whose message is the whole story: it names what is wrong
 * and the fix, so it is printed in one line, without a stack trace. Anything else is a bug and keeps its
 * stack. Scripts tell the two apart with `instanceof VisibleError`, never by matching message text.
 *
 * The name and habit are SST's (`VisibleError`, "an error shown to the user without a stack trace");
 * Pulumi's `RunError` plays the same part inside a Pulumi program, so `koa-apigateway/pulumi` throws ours
 * to Pulumi as RunErrors, the original as their `cause` (infra/src/pulumi/run-error.ts).
 */
export class VisibleError extends Error {
  override name = 'VisibleError';
}

/**
 * Returns what a command prints for a failure: the message alone for a {@link VisibleError} (one line,
 * or the lines its message has) and for an error whose `cause` is one (the pulumi.RunError that
 * `koa-apigateway/pulumi` throws for it, its message perhaps prefixed by Pulumi), the stack for any other
 * `Error` (an unexpected fault), else `String(err)`.
 */
export function describeFailure(err: unknown): string {
  if (err instanceof VisibleError) return err.message;
  if (err instanceof Error && err.cause instanceof VisibleError) return err.message;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * A route API Gateway cannot deploy (a method it has not, two routes on one resource method, a schema
 * its model import refuses, a bad auth declaration): refused at plan time, before `pulumi up` or
 * `koa-apigateway start` goes further. The message starts with `Route <method> <path>` (or `Routes ... and ...`)
 * and ends with the fix.
 */
export class RouteError extends VisibleError {
  override name = 'RouteError';
}

/** An app descriptor that cannot be used (app/load.ts): the message names the file, the field and the fix. */
export class AppDescriptorError extends VisibleError {
  override name = 'AppDescriptorError';
}

/**
 * Returns a config key as the stack files and `pulumi config` name it: `<project>:<key>` (the project's
 * Pulumi.yaml `name`), or the bare key when the project is not known (settings parsed outside a project).
 */
export function configKeyName(key: string, project?: string): string {
  return project ? `${project}:${key}` : key;
}

/** A setting that cannot be used; the message names the key (in `project`'s namespace), the value and the fix. */
export class SettingsError extends VisibleError {
  constructor(
    readonly key: string,
    readonly value: string,
    expected: string,
    /** The fix, when it is not "set this key to a valid value" (a combination of keys). */
    fix?: string,
    /** The Pulumi project whose key it is (Pulumi.yaml `name`); omitted: the key is named without a namespace. */
    project?: string,
  ) {
    const fallback = isSettingKey(key) ? SETTING_DEFAULTS[key] : '';
    super(
      `Config "${configKeyName(key, project)}" is ${JSON.stringify(value)}: ${expected}. ` +
        (fix ? `Fix: ${fix}.` : `Fix: pulumi config set ${key} <value> (or remove it to use the default ${JSON.stringify(fallback)}).`),
    );
    this.name = 'SettingsError';
  }
}

/** Where a config key's value comes from, for the fix of an unknown one (see {@link UnknownSettingError}). */
export interface KeySource {
  /** Pulumi.yaml `config:` declares it: `pulumi config rm` cannot remove that, only an edit of Pulumi.yaml. */
  declaredInProject: boolean;
  /** The stack file sets it (`pulumi config rm` removes it); undefined when the reader cannot tell (`pulumi up`). */
  setInStack?: boolean;
}

/**
 * A config key of this project that no setting has (a typo such as `rateLimt`, or a key of an app no longer
 * served): every reader refuses it (`pulumi up`, `koa-apigateway synth`, `start`), naming the closest known key
 * and the fix that removes it from where it is: `pulumi config rm` for a stack value, an edit of Pulumi.yaml
 * `config:` for a declaration there (`source`; default: a stack value).
 */
export class UnknownSettingError extends VisibleError {
  /**
   * @param known every key there is: the gateway's, then the app's.
   * @param project the Pulumi project whose key it is (Pulumi.yaml `name`); omitted: the key is named without a namespace.
   */
  constructor(
    readonly key: string,
    known: readonly string[] = SETTING_KEYS,
    source: KeySource = { declaredInProject: false, setInStack: true },
    project?: string,
  ) {
    const near = closest(key, known);
    const rename = near ? ` && pulumi config set ${near} <value>` : '';
    const stackFix = `pulumi config rm ${key}${rename} (or edit the stack's Pulumi.<stack>.yaml)`;
    const steps = [`remove "${key}" from Pulumi.yaml \`config:\` (no app served declares it: an app declares its own keys in its descriptor's \`settings\`)`];
    if (source.setInStack !== false) steps.push(`pulumi config rm ${key}${source.setInStack === undefined ? ' if the stack sets it too' : ''}`);
    const projectFix = steps.join(', and ') + (near ? `; if you meant ${near}: pulumi config set ${near} <value>` : '');
    super(
      `Unknown config key "${configKeyName(key, project)}"${near ? ` (did you mean "${near}"?)` : ''}. Known keys: ${known.join(', ')}. ` +
        `Fix: ${source.declaredInProject ? projectFix : stackFix}.`,
    );
    this.name = 'UnknownSettingError';
  }
}

/**
 * A stack with no `Pulumi.<stack>.yaml` beside Pulumi.yaml (`--stack prd`, `STACK=prod`): refused rather
 * than silently read as the defaults, naming the stacks there are and the fix. The one such error of every
 * command (start, synth, openapi, conformance, client).
 */
export class UnknownStackError extends VisibleError {
  constructor(
    readonly stackName: string,
    readonly known: readonly string[],
  ) {
    const stack = stackName;
    super(
      `Unknown stack "${stack}": there is no Pulumi.${stack}.yaml beside Pulumi.yaml (stacks here: ${known.length ? known.join(', ') : 'none'}). ` +
        `Fix: name one of those (--stack ${known[0] ?? 'dev'} / STACK=${known[0] ?? 'dev'}), or create the stack and its file: ` +
        `pulumi stack init ${stack} && pulumi config set aws:region us-east-1 --stack ${stack}.`,
    );
    this.name = 'UnknownStackError';
  }
}

/** The project's Pulumi.yaml is missing or names no project: no stack's settings can be read. The message names the file and the fix. */
export class ProjectFileError extends VisibleError {
  override name = 'ProjectFileError';
}

/**
 * A stack name Pulumi would refuse (`--stack ../dev`): letters, digits, `-`, `_` and `.` only, at most 100
 * characters (the Pulumi CLI's validateStackName, pkg/backend/httpstate: `^[a-zA-Z0-9-_.]{1,100}$`).
 * Refused before any file is looked up, so no path is built from it and no `pulumi stack init` of it is suggested.
 */
export class InvalidStackNameError extends VisibleError {
  constructor(readonly stackName: string) {
    const fixed = stackName.replace(/[^a-zA-Z0-9-_.]/g, '').replace(/^\.+/, '').slice(0, 100) || 'dev';
    super(
      `Invalid stack name ${JSON.stringify(stackName)}: a Pulumi stack name may only contain letters, digits, hyphens, underscores and periods (at most 100). ` +
        `Fix: name the stack, not a path (--stack ${fixed} / STACK=${fixed}).`,
    );
    this.name = 'InvalidStackNameError';
  }
}

/**
 * A config key whose namespace looks like a misspelt project name (`koa-apigatway:rateLimit`): Pulumi would
 * hand it to no one and the setting would silently be its default. Only namespaces close to the project's
 * name are refused; any other (`aws:`, `pulumi:`, another provider's) is left to its owner.
 */
export class UnknownNamespaceError extends VisibleError {
  constructor(
    readonly key: string,
    readonly project: string,
  ) {
    const name = key.slice(key.indexOf(':') + 1);
    super(
      `Unknown config namespace in "${key}" (did you mean "${project}:${name}"?): this project reads only "${project}:" keys, so it would be ignored. ` +
        `Fix: pulumi config rm ${key} && pulumi config set ${name} <value> (or rename it in the stack's Pulumi.<stack>.yaml).`,
    );
    this.name = 'UnknownNamespaceError';
  }
}

/** A wrong command line (an unknown argument, a missing or bad value): printed as its message, then the usage. */
export class UsageError extends VisibleError {
  override name = 'UsageError';
}

/** A start-up failure of the local gateway (`koa-apigateway start`) whose message is the whole story: printed without a stack trace. */
export class LocalStartError extends VisibleError {
  override name = 'LocalStartError';
}

/** The API document cannot be used: unreadable, not JSON, not OpenAPI 3.x, or an operation the tools cannot handle. The message names the file or operation and the fix. */
export class DocumentError extends VisibleError {
  override name = 'DocumentError';
}

/** The conformance suite refuses to run before anything is sent (over budget, nothing to test). */
export class ConformanceError extends VisibleError {
  override name = 'ConformanceError';
}

/** The base URL gave no HTTP answer at all (refused, unknown host, timeout): the message is one line, `cannot connect to <url>: <reason>`. */
export class UnreachableError extends ConformanceError {
  override name = 'UnreachableError';
}

/** A schema that cannot be turned into validator code at build time (bundle/validators.ts); names the route, the schema and the fix. */
export class ValidatorGenerationError extends VisibleError {
  constructor(label: string, what: string, fix: string) {
    super(`Validator for ${label}: ${what}. Fix: ${fix}.`);
    this.name = 'ValidatorGenerationError';
  }
}

/**
 * A route declares a `format` no validator knows: TypeBox compiles an unknown format to "valid", so the
 * service would accept any string there. Refused at plan time (`pulumi preview`, `koa-apigateway start`)
 * and when the bundle's validators are generated. The message names the route and part (or the
 * bundle's label), the field, the format and the two fixes.
 */
export class UnregisteredFormatError extends RouteError {
  constructor(
    readonly where: string,
    readonly field: string,
    readonly format: string,
  ) {
    super(
      `${where} field ${field} declares format "${format}", which no validator knows: the service would accept any string there. ` +
        `Fix: register it with Format.Set('${format}', (value) => ...) from 'typebox/format' in a module the app loads before its routes validate, or remove the format.`,
    );
    this.name = 'UnregisteredFormatError';
  }
}

/**
 * A program `koa-apigateway synth` can load but `pulumi up` could not (an ES module's relative import without its
 * file name, under Pulumi's own TypeScript support: infra/src/tools/synth/program-load.ts): the message names the
 * file, the line, the import and the fix.
 */
export class ProgramLoadError extends VisibleError {
  override name = 'ProgramLoadError';
}

/**
 * Something in the API definition that API Gateway's import would warn about (infra/src/core/definition/import-check.ts):
 * the RestApi imports with failOnWarnings, so a warning would stop `pulumi up`; it is refused at plan time
 * instead (`pulumi preview`, `synth`, `start`). The message names the route (or the part of the API), the JSON
 * pointer of the finding and the fix.
 */
export class ImportWarningError extends RouteError {
  constructor(
    /** `route METHOD /koa/path`, or what else the finding is in (`the API's info`). */
    readonly where: string,
    /** JSON pointer of the finding in the definition. */
    readonly at: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImportWarningError';
  }
}

/** A project `koa-apigateway init` cannot set up as it stands: the message names the file and the fix. */
export class InitError extends VisibleError {
  override name = 'InitError';
}

/**
 * `koa-apigateway verify` cannot read the deployed API (no AWS credentials, access refused, no such API or stage,
 * API Gateway unreachable, the stack's outputs unreadable): the message names what it tried and what is needed.
 */
export class VerifyError extends VisibleError {
  override name = 'VerifyError';
}

/** Verify found no AWS credentials: the AWS SDK's default chain (environment, profile, SSO, instance role) gave none. */
export class MissingCredentialsError extends VerifyError {
  override name = 'MissingCredentialsError';
}
