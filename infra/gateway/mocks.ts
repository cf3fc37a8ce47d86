import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';

/** One resource the program registered, as `pulumi up` would create it. */
export interface RecordedResource {
  type: string;
  name: string;
  /** The parent's logical name (undefined for the stack itself). */
  parent?: string;
  inputs: Record<string, unknown>;
}

const ACCOUNT = '123456789012';
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

/** Every resource type the program may create: anything else is a mistake the mocks refuse. */
export const EXPECTED_TYPES = new Set([
  'pulumi:pulumi:Stack',
  'koa-apigateway:gateway:KoaGateway',
  'aws:apigateway/restApi:RestApi',
  'aws:apigateway/resource:Resource',
  'aws:apigateway/method:Method',
  'aws:apigateway/integration:Integration',
  'aws:apigateway/methodResponse:MethodResponse',
  'aws:apigateway/integrationResponse:IntegrationResponse',
  'aws:apigateway/model:Model',
  'aws:apigateway/requestValidator:RequestValidator',
  'aws:apigateway/response:Response',
  'aws:apigateway/deployment:Deployment',
  'aws:apigateway/stage:Stage',
  'aws:apigateway/methodSettings:MethodSettings',
  'aws:apigateway/apiKey:ApiKey',
  'aws:apigateway/usagePlan:UsagePlan',
  'aws:apigateway/usagePlanKey:UsagePlanKey',
  'aws:apigateway/account:Account',
  'aws:lambda/function:Function',
  'aws:lambda/permission:Permission',
  'aws:iam/role:Role',
  'aws:iam/rolePolicy:RolePolicy',
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  'aws:cloudwatch/logGroup:LogGroup',
  'koa-apigateway:storage:TodoStorage',
  'aws:dynamodb/table:Table',
]);

/**
 * Pulumi mocks that record every registered resource (type, name, parent, inputs), answer with
 * plausible AWS outputs (ids, ARNs, the invoke URL, a fake API key), and throw on any provider call
 * or resource type nobody expected.
 */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private readonly parents = new Map<string, string>();

  constructor(private readonly region = 'us-east-1') {}

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    throw new Error(`Unexpected provider call ${args.token}(${JSON.stringify(args.inputs)}): the program should not read the cloud.`);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    if (!EXPECTED_TYPES.has(args.type)) throw new Error(`Unexpected resource type ${args.type} (${args.name}).`);
    const parentUrn = this.parents.get(`${args.type}::${args.name}`);
    const parent = parentUrn ? parentUrn.slice(parentUrn.lastIndexOf('::') + 2) : undefined;
    this.resources.push({ type: args.type, name: args.name, ...(parent ? { parent } : {}), inputs: args.inputs as Record<string, unknown> });
    const id = `${args.name}-id`;
    return { id, state: { ...args.inputs, ...this.outputsFor(args.type, args.name, id, args.inputs as Record<string, unknown>) } };
  }

  /** Records parents: the mock monitor passes the parent URN to registerResource, not to newResource. */
  attach(): void {
    const settings = require('@pulumi/pulumi/runtime/settings') as { getMonitor(): { registerResource: (req: unknown, cb: unknown) => Promise<void> } };
    const monitor = settings.getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = async (req: unknown, cb: unknown) => {
      const r = req as { getType(): string; getName(): string; getParent(): string };
      if (r.getParent()) this.parents.set(`${r.getType()}::${r.getName()}`, r.getParent());
      return original(req, cb);
    };
  }

  /** The recorded resources of one type. */
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  private outputsFor(type: string, name: string, id: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const arn = (service: string, resource: string) => `arn:aws:${service}:${this.region}:${ACCOUNT}:${resource}`;
    switch (type) {
      case 'aws:apigateway/restApi:RestApi':
        return { rootResourceId: `${name}-root-id`, executionArn: arn('execute-api', id), arn: `arn:aws:apigateway:${this.region}::/restapis/${id}` };
      case 'aws:apigateway/stage:Stage':
        return { invokeUrl: `https://${String(inputs.restApi)}.execute-api.${this.region}.amazonaws.com/${String(inputs.stageName)}`, executionArn: arn('execute-api', `${String(inputs.restApi)}/${String(inputs.stageName)}`) };
      case 'aws:lambda/function:Function': {
        const functionName = `${name}-1234567`;
        const fnArn = arn('lambda', `function:${functionName}`);
        return { name: functionName, arn: fnArn, invokeArn: `arn:aws:apigateway:${this.region}:lambda:path/2015-03-31/functions/${fnArn}/invocations` };
      }
      case 'aws:cloudwatch/logGroup:LogGroup': {
        const groupName = typeof inputs.name === 'string' ? inputs.name : `${String(inputs.namePrefix ?? name)}1234567`;
        return { name: groupName, arn: arn('logs', `log-group:${groupName}`) };
      }
      case 'aws:iam/role:Role':
        return { name: `${name}-1234567`, arn: `arn:aws:iam::${ACCOUNT}:role/${name}-1234567` };
      case 'aws:dynamodb/table:Table': {
        const tableName = `${name}-1234567`;
        return { name: tableName, arn: arn('dynamodb', `table/${tableName}`) };
      }
      case 'aws:apigateway/apiKey:ApiKey':
        // A fake, deterministic key: tests check it never leaves the program unmasked.
        return { value: fakeApiKey(name), arn: `arn:aws:apigateway:${this.region}::/apikeys/${id}` };
      default:
        return {};
    }
  }
}

/** The fake value the mocks give an API key named `name` (40 alphanumerics, like a real one). */
export function fakeApiKey(name: string): string {
  return `MOCK${createHash('sha256').update(name).digest('hex').slice(0, 36)}`;
}

/** Installs the mocks for one program run (project `koa-apigateway`, so `pulumi.Config()` reads its keys). */
export async function installMocks(options: { stack?: string; config?: Record<string, string>; preview?: boolean; region?: string } = {}): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(options.region ?? options.config?.['aws:region'] ?? 'us-east-1');
  await pulumi.runtime.setMocks(mocks, 'koa-apigateway', options.stack ?? 'dev', options.preview ?? false);
  pulumi.runtime.setAllConfig(options.config ?? {});
  mocks.attach();
  return mocks;
}

/** Waits until every registration the program started has reached the mocks. */
export async function settle(): Promise<void> {
  const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs(): Promise<void> };
  await settings.waitForRPCs();
}

/** Returns the value of an Output and whether it is secret (awaited, never asserted inside apply). */
export async function resolve<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  const value = await new Promise<T>((done) => output.apply((v) => done(v)));
  return { value, secret: await pulumi.isSecret(output) };
}

/** Returns `value` with every secret marker replaced by `[secret]`. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    if ((value as Record<string, unknown>)[SECRET_SIG] === '1b47061264138c4ac30d75fd1eb44270') return '[secret]';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
  }
  return value;
}
