/**
 * The parent side of a local function (the child side is ./function-worker.ts): each function of the API runs
 * in a Node.js process of its own, as Lambda runs each function in its own execution environment, so a crash
 * or a hang in one shows on its routes only.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { RESPONSE_TRANSFER_MODE_VARIABLE } from '../lambda/streaming';
import { packageFile } from '../package-files';
import type { InvokeOutcome } from './integration';
import type { InvokeMessage, SerialisedError, WorkerMessage } from './function-worker';

/**
 * One function of the local gateway (`GatewayOptions.functions`, keyed by the function name its methods'
 * integration uris carry: infra/src/core/definition/document.ts functionOfInvokeArn): its route group, the bundle whose `handler` it runs, its own
 * environment variables (over the gateway's process environment), its memory (MB, reported to the function as
 * Lambda does; not enforced) and its timeout (whole seconds).
 */
export interface LocalFunction {
  group: string;
  bundleFile: string;
  environment?: Readonly<Record<string, string>>;
  memorySize: number;
  timeoutSeconds: number;
  /**
   * Its routes stream their responses (docs/streaming.md): its process gets RESPONSE_TRANSFER_MODE=STREAM, as the
   * deployed function does, so lambdaHandler returns the streaming handler.
   */
  stream?: boolean;
}

/**
 * Lambda's Init phase limit: "The Init phase is limited to 10 seconds" (AWS Lambda developer guide, "Understanding
 * the Lambda execution environment lifecycle", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
 */
export const INIT_LIMIT_MS = 10_000;

/** A function running in processes of its own: see functionProcess. */
export interface FunctionProcess {
  /**
   * Invokes the function with an event (its JSON text) and resolves with how the invocation ended; never rejects.
   * `integrationTimeoutMs` is how long the gateway waits, the cold start included.
   */
  invoke(eventJson: string, options: { integrationTimeoutMs: number }): Promise<InvokeOutcome>;
  /** Retires the current process (it ends once its invocations have): the next invocation starts a new one, a cold start. */
  restart(): void;
  /** Kills every process of the function and resolves once they have exited. Invocations in flight end as runtime exits. */
  close(): Promise<void>;
}

interface Invocation {
  id: number;
  eventJson: string;
  awsRequestId: string;
  /** True once the gateway has its answer (the outcome, or its own timeout): a later outcome is only logged. */
  answered: boolean;
  answer(outcome: InvokeOutcome): void;
  functionTimer?: NodeJS.Timeout;
  /** A streaming function's output, once its first bytes came (the gateway's answer): see InvokeOutcome `stream`. */
  stream?: PassThrough;
}

/**
 * Returns the worker module to fork and the Node.js options it needs: the compiled `function-worker.js` beside
 * this module when it runs from the package's dist/; when this module is the TypeScript source (loaded by vitest
 * or tsx in the repository), `function-worker.ts` through tsx, which the repository runs its TypeScript with.
 */
function workerModule(): { file: string; execArgv: string[] } {
  if (__filename.endsWith('.ts')) {
    // tsx's CommonJS hook alone (the worker and what it imports are CommonJS here; the bundle is an ES module Node loads
    // itself): about half the start-up of its whole loader, on every cold start.
    return { file: packageFile('src', 'local', 'function-worker.ts'), execArgv: ['--require', require.resolve('tsx/cjs', { paths: [packageFile()] })] };
  }
  return { file: packageFile('dist', 'local', 'function-worker.js'), execArgv: [] };
}

/**
 * Returns how Lambda reports a runtime process that ended: "Runtime exited with error: exit status 1", "...: signal:
 * killed" (an out-of-memory kill), or "Runtime exited without providing a reason" for exit status 0, the wording of
 * its `Runtime.ExitError` (e.g. aws/aws-lambda-dotnet#480, brefphp/bref#1490 record it); the signal's name as Go's
 * os.ProcessState prints it, which Lambda's reports use.
 */
export function runtimeExitReason(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `Runtime exited with error: signal: ${SIGNAL_NAMES[signal] ?? signal}`;
  if (code === 0) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: exit status ${code ?? 'unknown'}`;
}

const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
};

/** Returns the result a worker sent: `JSON.parse(JSON.stringify(result))` of what the handler returned (see WorkerMessage). */
function resultOf(message: Extract<WorkerMessage, { type: 'result' }>): unknown {
  if (message.envelope !== undefined) return Object.assign(JSON.parse(message.envelope) as object, { body: message.body });
  return message.json === undefined ? undefined : (JSON.parse(message.json) as unknown);
}

/** Returns the error a worker reported, rebuilt for the gateway's log (an Error with its stack, or the value). */
function revive(error: SerialisedError): unknown {
  if ('value' in error) {
    try {
      return JSON.parse(error.value) as unknown;
    } catch {
      return error.value;
    }
  }
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}

/**
 * Returns the environment of a function's process: the gateway's process environment, the function's own
 * variables over it, and the variables Lambda's runtime defines (AWS Lambda developer guide, "Defined runtime
 * environment variables", https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html: reserved,
 * a function cannot set them). `RESPONSE_VALIDATION` stays `strict` unless set: with AWS_LAMBDA_FUNCTION_NAME
 * present the route layer would otherwise check responses as in production (infra/src/route/response-check.ts),
 * and `npm start` is where a response the document does not describe must fail loudly.
 */
export function functionEnvironment(name: string, fn: LocalFunction, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    RESPONSE_VALIDATION: 'strict',
    ...base,
    ...fn.environment,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    ...(fn.stream ? { [RESPONSE_TRANSFER_MODE_VARIABLE]: 'STREAM' } : {}),
  };
}

/**
 * Returns the function `name` run in child processes (./function-worker.ts), one at a time, started on the first
 * invocation (a cold start: the bundle is imported once per process) and serving every invocation after it.
 * As on Lambda (docs/apigateway-behaviour.md §6.4, §7.2; AWS Lambda developer guide, "Understanding the Lambda
 * execution environment lifecycle", which resets an environment whose function crashed or timed out):
 * - the process exiting (process.exit, an uncaught exception, a signal such as an out-of-memory kill) ends each
 *   invocation in it as a `runtime-exit` (a 502); the next invocation starts a new process;
 * - an invocation past the function's `timeoutSeconds` (counted from when a ready process receives it, the
 *   Init phase apart, as on Lambda) is a `function-timeout` (a 502) and its process is replaced: no new
 *   invocation goes to it, and it is killed once the others it runs have ended;
 * - past `integrationTimeoutMs` the gateway stops waiting (an `integration-timeout`, a 504) while the invocation
 *   runs on, up to the function's own timeout;
 * - a bundle that fails to load ends the invocations waiting for it as function errors, and the next invocation
 *   loads it again in a new process; an Init phase past INIT_LIMIT_MS likewise (Lambda then retries the Init
 *   phase within the invocation: locally it is a function error at once).
 * `logError` gets what no gateway answer reports: a process that ended while idle, an outcome after the gateway
 * gave up waiting.
 */
export function functionProcess(name: string, fn: LocalFunction, logError: (line: string) => void): FunctionProcess {
  const timeoutMs = fn.timeoutSeconds * 1000;
  // The environment as it is when the gateway is created, as a deployed function's is fixed by its configuration.
  const env = functionEnvironment(name, fn);
  const instances = new Set<Instance>();
  let current: Instance | undefined;
  let sequence = 0;
  let closing = false;

  class Instance {
    readonly child: ChildProcess;
    readonly exited: Promise<void>;
    private ready = false;
    private retired = false;
    /** Invocations waiting for the bundle to load. */
    private readonly waiting: Invocation[] = [];
    /** Invocations the process is running, by id. */
    private readonly running = new Map<number, Invocation>();
    private readonly initTimer: NodeJS.Timeout;

    constructor() {
      const worker = workerModule();
      this.child = fork(worker.file, [fn.bundleFile], {
        env,
        execArgv: worker.execArgv,
        // The function's log is the gateway's output, as an in-process handler's console is.
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        // V8's serialisation: a string crosses as its bytes, not re-escaped inside a JSON message.
        serialization: 'advanced',
      });
      instances.add(this);
      this.exited = new Promise((resolve) => {
        this.child.once('exit', (code, signal) => {
          this.ended(runtimeExitReason(code, signal));
          resolve();
        });
        // A process that could not start: no 'exit' follows.
        this.child.on('error', (error) => {
          if (this.child.pid !== undefined) return;
          this.ended(`Runtime failed to start: ${error.message}`);
          resolve();
        });
      });
      this.child.on('message', (message: WorkerMessage) => this.receive(message));
      this.initTimer = setTimeout(() => this.initFailed(new Error(`Init phase timed out after ${(INIT_LIMIT_MS / 1000).toFixed(2)} seconds (Lambda's Init phase limit)`)), INIT_LIMIT_MS);
    }

    submit(invocation: Invocation): void {
      if (this.ready) this.dispatch(invocation);
      else this.waiting.push(invocation);
    }

    /** Takes no new invocation; the process is killed once those it runs have ended. */
    retire(): void {
      this.retired = true;
      if (current === this) current = undefined;
      if (this.running.size === 0 && this.waiting.length === 0) this.kill();
    }

    kill(): void {
      clearTimeout(this.initTimer);
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }

    private dispatch(invocation: Invocation): void {
      this.running.set(invocation.id, invocation);
      const message: InvokeMessage = { type: 'invoke', id: invocation.id, event: invocation.eventJson, awsRequestId: invocation.awsRequestId, deadline: Date.now() + timeoutMs };
      invocation.functionTimer = setTimeout(() => this.timedOut(invocation), timeoutMs);
      try {
        this.child.send(message);
      } catch {
        // The channel closed under us: the process's exit ends the invocation.
      }
    }

    private receive(message: WorkerMessage): void {
      if (message.type === 'ready') {
        this.ready = true;
        clearTimeout(this.initTimer);
        for (const invocation of this.waiting.splice(0)) this.dispatch(invocation);
        return;
      }
      if (message.type === 'init-error') return this.initFailed(revive(message.error));
      const invocation = this.running.get(message.id);
      if (!invocation) return; // timed out already
      if (message.type === 'chunk') {
        // A streaming function's first bytes answer the gateway; the rest follow on the same stream.
        if (!invocation.stream) {
          invocation.stream = new PassThrough();
          finish(invocation, { kind: 'stream', body: invocation.stream });
        }
        invocation.stream.write(Buffer.from(message.data));
        return;
      }
      this.running.delete(message.id);
      if (invocation.stream) {
        clearTimeout(invocation.functionTimer);
        if (message.type === 'error') {
          const error = revive(message.error);
          logError(`[${name}] ${invocation.awsRequestId} Lambda function error after the response began streaming: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}`);
          invocation.stream.destroy(error instanceof Error ? error : new Error(String(error)));
        } else invocation.stream.end();
        if (this.retired && this.running.size === 0) this.kill();
        return;
      }
      if (message.type === 'end') {
        // A streaming function that ended without writing a byte (not even the metadata).
        clearTimeout(invocation.functionTimer);
        invocation.stream = new PassThrough();
        invocation.stream.end();
        finish(invocation, { kind: 'stream', body: invocation.stream });
        if (this.retired && this.running.size === 0) this.kill();
        return;
      }
      clearTimeout(invocation.functionTimer);
      if (message.type === 'error') finish(invocation, { kind: 'error', error: revive(message.error) });
      else finish(invocation, { kind: 'result', result: resultOf(message), bytes: message.bytes });
      if (this.retired && this.running.size === 0) this.kill();
    }

    private initFailed(error: unknown): void {
      this.retire();
      for (const invocation of this.waiting.splice(0)) finish(invocation, { kind: 'error', error });
      this.kill();
    }

    private timedOut(invocation: Invocation): void {
      this.running.delete(invocation.id);
      finish(invocation, { kind: 'function-timeout' });
      this.retire();
    }

    private ended(reason: string): void {
      if (!instances.has(this)) return;
      clearTimeout(this.initTimer);
      instances.delete(this);
      if (current === this) current = undefined;
      const inFlight = [...this.waiting.splice(0), ...this.running.values()];
      this.running.clear();
      for (const invocation of inFlight) {
        clearTimeout(invocation.functionTimer);
        finish(invocation, { kind: 'runtime-exit', reason });
      }
      // Killed by the gateway (retired, replaced, closing): nothing to report.
      if (inFlight.length === 0 && !this.retired && !closing) logError(`[${name}] ${reason}`);
    }
  }

  /** Gives the gateway its answer; once it has one (its own timeout came first), logs what the function did after. */
  const finish = (invocation: Invocation, outcome: InvokeOutcome) => {
    // A stream already answered the gateway: a timeout or an exit now ends it early (docs/apigateway-behaviour.md §15.12).
    if (invocation.stream && outcome.kind !== 'stream' && !invocation.stream.destroyed) {
      invocation.stream.destroy(new Error(outcome.kind === 'function-timeout' ? `Task timed out after ${fn.timeoutSeconds}.00 seconds` : outcome.kind === 'runtime-exit' ? outcome.reason : 'the function failed'));
    }
    if (!invocation.answered) return invocation.answer(outcome);
    if (outcome.kind === 'function-timeout') logError(`[${name}] ${invocation.awsRequestId} Task timed out after ${fn.timeoutSeconds}.00 seconds`);
    else if (outcome.kind === 'runtime-exit') logError(`[${name}] ${invocation.awsRequestId} Error: ${outcome.reason} Runtime.ExitError`);
  };

  return {
    invoke: (eventJson, options) =>
      new Promise<InvokeOutcome>((resolve) => {
        if (closing) return resolve({ kind: 'runtime-exit', reason: 'the local gateway is closing' });
        let integrationTimer: NodeJS.Timeout | undefined = undefined;
        const invocation: Invocation = {
          id: ++sequence,
          eventJson,
          awsRequestId: randomUUID(),
          answered: false,
          answer: (outcome) => {
            invocation.answered = true;
            clearTimeout(integrationTimer);
            resolve(outcome);
          },
        };
        integrationTimer = setTimeout(() => invocation.answer({ kind: 'integration-timeout' }), options.integrationTimeoutMs);
        (current ??= new Instance()).submit(invocation);
      }),
    restart: () => current?.retire(),
    close: async () => {
      closing = true;
      const all = [...instances];
      for (const instance of all) instance.kill();
      await Promise.all(all.map((instance) => instance.exited));
    },
  };
}
