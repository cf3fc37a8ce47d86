import * as pulumi from '@pulumi/pulumi';
import { VisibleError } from '../errors';

/**
 * Returns `err` as Pulumi's {@link pulumi.RunError} when it is one of our user errors (a {@link VisibleError}:
 * a bad descriptor, setting or route), keeping its message and the original as `cause`; anything else (a
 * bug, or an error already a RunError) is returned as it is.
 *
 * Why: Pulumi's Node.js language host prints a RunError's message alone and any other error with its
 * whole stack. @pulumi/pulumi 3.270.0, cmd/run/run.js, the program's uncaughtHandler:
 * `if (errors_1.RunError.isInstance(err)) { // Always hide the stack for RunErrors. log.error(err.message); }`,
 * else `log.error("Running program '<dir>' failed with an unhandled exception:\n" + defaultErrorMessage(err))`,
 * where defaultErrorMessage (cmd/run/error.js) is `util.inspect(err)`: the stack and every field. Our
 * messages name the key or field and the fix; under `pulumi up` they must not be buried under a stack.
 */
export function asRunError(err: unknown): unknown {
  if (!(err instanceof VisibleError)) return err;
  return new pulumi.RunError(err.message, { cause: err });
}

/**
 * Runs `step` and returns its result; a {@link VisibleError} it throws leaves as a {@link pulumi.RunError}
 * ({@link asRunError}): used where our code crosses into Pulumi (deployApp, the KoaGateway constructor,
 * readPulumiSettings, and the callbacks of `apply` that check a resolved value).
 */
export function visibleAsRunError<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw asRunError(err);
  }
}
