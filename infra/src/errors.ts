/**
 * A failure caused by the user's input (a setting, a stack name, a route API Gateway cannot deploy, a
 * command-line argument, an API document) whose message is the whole story: it names what is wrong
 * and the fix, so it is printed in one line, without a stack trace. Anything else is a bug and keeps its
 * stack. Scripts tell the two apart with `instanceof VisibleError`, never by matching message text.
 *
 * The name and habit are SST's (`VisibleError`, "an error shown to the user without a stack trace");
 * Pulumi's `RunError` plays the same part inside a Pulumi program.
 */
export class VisibleError extends Error {
  override name = 'VisibleError';
}

/**
 * Returns what a command prints for a failure: the message alone for a {@link VisibleError} (one line,
 * or the lines its message has), the stack for any other `Error` (an unexpected fault), else `String(err)`.
 */
export function describeFailure(err: unknown): string {
  if (err instanceof VisibleError) return err.message;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * A route API Gateway cannot deploy (a method it has not, two routes on one resource method, a schema
 * its model import refuses, a bad auth declaration): refused at plan time, before `pulumi up` or
 * `npm start` goes further. The message starts with `Route <method> <path>` (or `Routes ... and ...`)
 * and ends with the fix.
 */
export class RouteError extends VisibleError {
  override name = 'RouteError';
}
