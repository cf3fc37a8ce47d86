import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

/**
 * How a user adjusts one child resource of the component without forking it, as SST's components do
 * (`transform`, platform/src/components/component.ts): either args merged over the component's (shallowly:
 * a key given replaces the component's value for it), or a function that changes the args and the resource
 * options in place, called with the child's name (`(args, opts, name) => { args.tracingConfig = ...; }`).
 */
export type Transform<T> = Partial<T> | ((args: T, opts: pulumi.CustomResourceOptions, name: string) => void);

/** The component's children a {@link Transform} can adjust, each named by its job. */
export interface KoaGatewayTransforms {
  /** The REST API (`<name>-api`), whose `body` is the whole API definition. */
  api?: Transform<aws.apigateway.RestApiArgs>;
  /** The Deployment (`<name>-deployment`), redeployed when the definition's hash changes. */
  deployment?: Transform<aws.apigateway.DeploymentArgs>;
  /** The stage (`<name>-stage`). */
  stage?: Transform<aws.apigateway.StageArgs>;
  /** The stage's method settings for every method (`<name>-method-settings`: metrics, logging, throttle). */
  methodSettings?: Transform<aws.apigateway.MethodSettingsArgs>;
  /** The Lambda function (`<name>-fn`). */
  function?: Transform<aws.lambda.FunctionArgs>;
  /** The function's execution role (`<name>-fn-role`). */
  role?: Transform<aws.iam.RoleArgs>;
  /** The function's log group (`<name>-fn-logs`). */
  logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  /** The permission that lets this API invoke the function (`<name>-invoke`). */
  permission?: Transform<aws.lambda.PermissionArgs>;
  /** The stage's access log group (`<name>-access-logs`), when access logs are on. */
  accessLog?: Transform<aws.cloudwatch.LogGroupArgs>;
  /** The stage's execution log group (`<name>-execution-logs`). */
  executionLog?: Transform<aws.cloudwatch.LogGroupArgs>;
  /** The usage plan (`<name>-usage-plan`: throttle and quota). */
  usagePlan?: Transform<aws.apigateway.UsagePlanArgs>;
  /** The API key (`<name>-key`). */
  apiKey?: Transform<aws.apigateway.ApiKeyArgs>;
  /** The usage plan's key (`<name>-usage-plan-key`). */
  usagePlanKey?: Transform<aws.apigateway.UsagePlanKeyArgs>;
  /** The Cognito user pool the stack creates (`<name>-user-pool`, `userPool: create`). */
  userPool?: Transform<aws.cognito.UserPoolArgs>;
  /** The user pool's app client (`<name>-user-pool-client`). */
  userPoolClient?: Transform<aws.cognito.UserPoolClientArgs>;
  /** The custom domain (`<name>-domain`, with `domainName`). */
  domainName?: Transform<aws.apigateway.DomainNameArgs>;
  /** The WAF web ACL (`<name>-web-acl`, with `waf`). */
  webAcl?: Transform<aws.wafv2.WebAclArgs>;
}

/**
 * Returns the constructor arguments of a child, `[name, args, opts]`, after `transform`: without one they
 * are the component's own, unchanged; with args, those merged over the component's; with a function, what
 * it left after changing `args` and `opts` in place. Spread into `new Resource(...transform(...))`.
 */
export function transform<T extends object>(
  change: Transform<T> | undefined,
  name: string,
  args: T,
  opts: pulumi.CustomResourceOptions,
): [string, T, pulumi.CustomResourceOptions] {
  if (typeof change === 'function') {
    change(args, opts, name);
    return [name, args, opts];
  }
  return [name, change ? { ...args, ...change } : args, opts];
}
