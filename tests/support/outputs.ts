import * as pulumi from '@pulumi/pulumi';

/**
 * Returns the value of a Pulumi Output and whether it is secret: awaited, so a test asserts on it outside
 * `apply` (an assertion failing inside `apply` is lost by Pulumi instead of failing the test).
 */
export async function resolve<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  const value = await new Promise<T>((done) => output.apply((v) => done(v)));
  return { value, secret: await pulumi.isSecret(output) };
}
