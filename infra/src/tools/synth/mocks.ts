/**
 * Pulumi's mocks as `npm run synth` (infra/src/tools/synth/synth.ts, a product script) runs the user's program under them:
 * they record what the program registers and answer with plausible AWS outputs. They are product code, not test
 * code: everything here serves synth's run (the mocks, the values they answer with, the rule they refuse by);
 * a few values are exported as well so tests compare against them. The tests and the bench run the program
 * under these same mocks, so what they prove is what synth prints; helpers only tests need (reading an
 * Output's value: tests/support/outputs.ts) live in tests/support/.
 */
import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { KOA_GATEWAY_TYPE } from '../../pulumi/component';
import type { ZoneRecordSet } from '../../pulumi/edge';

/** One resource the program registered, as `pulumi up` would create it. */
export interface RecordedResource {
  type: string;
  name: string;
  /** The parent's logical name (undefined for the stack itself). */
  parent?: string;
  inputs: Record<string, unknown>;
  /** The state the mocks answered with (inputs and the cloud-assigned outputs). */
  outputs: Record<string, unknown>;
  /** True for a read of an existing resource (`X.get(name, id)`): nothing is created. */
  read?: boolean;
  /**
   * Resource options as the program registered them; `import`: the id of an existing resource the program adopts
   * (Pulumi's `import` option: imported when the stack does not hold it, an ordinary resource when it does).
   */
  options: { retainOnDelete: boolean; additionalSecretOutputs: string[]; dependsOn: string[]; import?: string };
}

/**
 * The account's API Gateway settings the mocks answer a read with: `fresh` has no CloudWatch role,
 * `role-set` has another stack's (MOCK_ACCOUNT_ROLE_ARN), or the given role ARN (a role this stack kept on
 * `pulumi destroy`, say).
 */
export type AccountState = 'fresh' | 'role-set' | { cloudwatchRoleArn: string };

/** The CloudWatch role ARN the mocks report for an account whose role is set. */
export const MOCK_ACCOUNT_ROLE_ARN = 'arn:aws:iam::123456789012:role/existing-apigateway-cloudwatch';

const ACCOUNT = '123456789012';
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

/**
 * Every cloud resource type the gateway component (KoaGateway, infra/src/pulumi/) may create. A cloud
 * resource of any other type under it is a mistake the mocks refuse: a per-route resource the one-document
 * definition replaced (aws:apigateway/method, .../integration, ...), or a new resource whose outputs the mocks
 * do not model. The user's program is free otherwise: its own components and the resources inside them
 * (the example's table, a second app's bucket) are recorded whatever their type.
 */
export const GATEWAY_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'aws:apigateway/restApi:RestApi',
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
  // The user pool (infra/src/pulumi/user-pool.ts).
  'aws:cognito/userPool:UserPool',
  'aws:cognito/userPoolClient:UserPoolClient',
  'aws:cognito/resourceServer:ResourceServer',
  // The edge (infra/src/pulumi/edge.ts): custom domain and WAF.
  'aws:acm/certificate:Certificate',
  'aws:acm/certificateValidation:CertificateValidation',
  'aws:route53/record:Record',
  'aws:apigateway/domainName:DomainName',
  'aws:apigateway/basePathMapping:BasePathMapping',
  'aws:wafv2/webAcl:WebAcl',
  'aws:wafv2/webAclAssociation:WebAclAssociation',
  'aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration',
]);

/**
 * Returns why the mocks refuse a registration, or undefined when they accept it. Components (`custom`
 * false: the stack, KoaGateway, any ComponentResource of the user's program) create nothing in the cloud
 * and are accepted; so is a cloud resource outside the gateway component (the user's own infrastructure).
 * A cloud resource inside it (its parent URN's type chain holds {@link KOA_GATEWAY_TYPE}) must be one of
 * {@link GATEWAY_RESOURCE_TYPES}. The mocks' own rule (synth refuses such a program too); exported so a test
 * proves it on URNs directly.
 *
 * @param parentUrn the parent's URN, `urn:pulumi:STACK::PROJECT::TYPE$...$TYPE::NAME`, or undefined at the top.
 */
export function unexpectedResource(type: string, custom: boolean, name: string, parentUrn: string | undefined): string | undefined {
  if (!custom) return undefined;
  const parentTypes = parentUrn?.split('::')[2]?.split('$') ?? [];
  if (!parentTypes.includes(KOA_GATEWAY_TYPE) || GATEWAY_RESOURCE_TYPES.has(type)) return undefined;
  return `Unexpected resource type ${type} (${name}) in the gateway component: it creates only ${[...GATEWAY_RESOURCE_TYPES].join(', ')}.`;
}

/**
 * The regional host and Route 53 zone the mocks give an API Gateway custom domain (a real regional zone id shape).
 * The mocks' own answer (synth prints it); exported so tests compare DNS records against what the mocks gave.
 */
export const MOCK_DOMAIN_TARGET = { zoneId: 'Z1UJRXOUMOOFQ8', host: (id: string, region: string) => `d-${id.replace(/[^a-z0-9]/g, '').slice(0, 10)}.execute-api.${region}.amazonaws.com` };

/**
 * Pulumi mocks that record every registered resource (type, name, parent, inputs), answer with
 * plausible AWS outputs (ids, ARNs, the invoke URL, a fake API key), and throw on any provider call but
 * the hosted zone's record lookup, or on a cloud resource the gateway component should not create
 * ({@link unexpectedResource}).
 */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private readonly parents = new Map<string, string>();
  private readonly options = new Map<string, RecordedResource['options']>();

  /**
   * @param region the stack's region, in ARNs and URLs.
   * @param account what a read of the account's API Gateway settings finds.
   * @param suffix the random suffix of auto-named physical names (`api-fn-1234567`): another suffix
   *   models resources replaced by `pulumi up` (a replaced function has a new name and ARN).
   * @param dns the record sets the hosted zone already has (what a lookup of a custom domain's name finds); none by default.
   */
  constructor(
    private readonly region = 'us-east-1',
    private readonly account: AccountState = 'fresh',
    private readonly suffix = '1234567',
    private readonly dns: readonly ZoneRecordSet[] = [],
  ) {}

  /**
   * Answers the one lookup the program makes, the hosted zone's records of a custom domain's name
   * (`aws.route53.getRecords`, a list: empty when the zone has none), from `dns`; throws on any other provider call.
   */
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    if (args.token === 'aws:route53/getRecords:getRecords') {
      const pattern = new RegExp(String(args.inputs.nameRegex ?? ''));
      return { id: args.inputs.zoneId, zoneId: args.inputs.zoneId, nameRegex: args.inputs.nameRegex, resourceRecordSets: this.dns.filter((r) => pattern.test(r.name)) };
    }
    throw new Error(`Unexpected provider call ${args.token}(${JSON.stringify(args.inputs)}): the program should not read the cloud.`);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const parentUrn = this.parents.get(`${args.type}::${args.name}`);
    // A resource test calls newResource directly, without `custom`: a cloud resource unless said otherwise.
    const refused = unexpectedResource(args.type, args.custom !== false, args.name, parentUrn);
    if (refused) throw new Error(refused);
    const parent = parentUrn ? parentUrn.slice(parentUrn.lastIndexOf('::') + 2) : undefined;
    const options = this.options.get(`${args.type}::${args.name}`) ?? { retainOnDelete: false, additionalSecretOutputs: [], dependsOn: [] };
    if (args.id && options.import === args.id) {
      // Adopted (the `import` option): an existing resource the program declares, answered as it exists.
      const state = { ...args.inputs, ...this.outputsFor(args.type, args.name, args.id, { ...(args.inputs as Record<string, unknown>), name: args.id }) };
      this.resources.push({ type: args.type, name: args.name, ...(parent ? { parent } : {}), inputs: args.inputs as Record<string, unknown>, outputs: state, options });
      return { id: args.id, state };
    }
    if (args.id) {
      // A read: the account settings (answered with the chosen account state), and a custom domain another
      // stack owns (`domainOwner false`), answered as that stack created it.
      let state: Record<string, unknown>;
      if (args.type === 'aws:apigateway/account:Account') state = typeof this.account === 'object' ? { ...this.account } : { cloudwatchRoleArn: this.account === 'role-set' ? MOCK_ACCOUNT_ROLE_ARN : '' };
      else if (args.type === 'aws:apigateway/domainName:DomainName') state = { domainName: args.id, ...this.outputsFor(args.type, args.name, args.id, { domainName: args.id }) };
      else throw new Error(`Unexpected read of ${args.type} ${args.id} (${args.name}).`);
      this.resources.push({ type: args.type, name: args.name, ...(parent ? { parent } : {}), inputs: {}, outputs: state, read: true, options });
      return { id: args.id, state };
    }
    const id = `${args.name}-id`;
    const state = { ...args.inputs, ...this.outputsFor(args.type, args.name, id, args.inputs as Record<string, unknown>) };
    this.resources.push({ type: args.type, name: args.name, ...(parent ? { parent } : {}), inputs: args.inputs as Record<string, unknown>, outputs: state, options });
    return { id, state };
  }

  /**
   * Records parents and resource options: the mock monitor passes them to registerResource (and
   * the parent to readResource), not to newResource.
   */
  attach(): void {
    type Request = {
      getType(): string;
      getName(): string;
      getParent(): string;
      getRetainondelete?(): boolean | undefined;
      getAdditionalsecretoutputsList?(): string[];
      getDependenciesList?(): string[];
      getImportid?(): string;
    };
    const settings = require('@pulumi/pulumi/runtime/settings') as {
      getMonitor(): { registerResource: (req: unknown, cb: unknown) => Promise<void>; readResource: (req: unknown, cb: unknown) => Promise<void> };
    };
    const monitor = settings.getMonitor();
    const record = (req: unknown) => {
      const r = req as Request;
      const key = `${r.getType()}::${r.getName()}`;
      if (r.getParent()) this.parents.set(key, r.getParent());
      this.options.set(key, {
        retainOnDelete: r.getRetainondelete?.() === true,
        additionalSecretOutputs: r.getAdditionalsecretoutputsList?.() ?? [],
        dependsOn: (r.getDependenciesList?.() ?? []).map((urn) => urn.slice(urn.lastIndexOf('::') + 2)),
        ...(r.getImportid?.() ? { import: r.getImportid() } : {}),
      });
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = async (req: unknown, cb: unknown) => {
      record(req);
      return register(req, cb);
    };
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = async (req: unknown, cb: unknown) => {
      record(req);
      return read(req, cb);
    };
  }

  /** The recorded resources of one type (reads excluded). */
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type && !r.read);
  }

  /** The resources the program creates (reads excluded). */
  created(): RecordedResource[] {
    return this.resources.filter((r) => !r.read);
  }

  private outputsFor(type: string, name: string, id: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const arn = (service: string, resource: string) => `arn:aws:${service}:${this.region}:${ACCOUNT}:${resource}`;
    switch (type) {
      case 'aws:apigateway/restApi:RestApi':
        return { rootResourceId: `${name}-root-id`, executionArn: arn('execute-api', id), arn: `arn:aws:apigateway:${this.region}::/restapis/${id}` };
      case 'aws:apigateway/stage:Stage':
        return {
          invokeUrl: `https://${String(inputs.restApi)}.execute-api.${this.region}.amazonaws.com/${String(inputs.stageName)}`,
          executionArn: arn('execute-api', `${String(inputs.restApi)}/${String(inputs.stageName)}`),
          // The stage's own ARN (what a WAF association takes), not its execution ARN.
          arn: `arn:aws:apigateway:${this.region}::/restapis/${String(inputs.restApi)}/stages/${String(inputs.stageName)}`,
        };
      case 'aws:acm/certificate:Certificate': {
        const domain = String(inputs.domainName);
        const token = createHash('sha256').update(`${domain}${this.suffix}`).digest('hex');
        return {
          arn: arn('acm', `certificate/${token.slice(0, 8)}-${token.slice(8, 12)}-${token.slice(12, 16)}-${token.slice(16, 20)}-${token.slice(20, 32)}`),
          // ACM's DNS validation: one CNAME per name, `_<token>.<domain>.` → `_<token>.<id>.acm-validations.aws.`
          domainValidationOptions: [
            { domainName: domain, resourceRecordName: `_${token.slice(32, 64)}.${domain}.`, resourceRecordType: 'CNAME', resourceRecordValue: `_${token.slice(0, 32)}.mock.acm-validations.aws.` },
          ],
        };
      }
      case 'aws:acm/certificateValidation:CertificateValidation':
        return { certificateArn: inputs.certificateArn };
      case 'aws:route53/record:Record':
        return { fqdn: String(inputs.name).replace(/\.$/, '') };
      case 'aws:apigateway/domainName:DomainName':
        return {
          regionalDomainName: MOCK_DOMAIN_TARGET.host(`${String(inputs.domainName)}${this.suffix}`, this.region),
          regionalZoneId: MOCK_DOMAIN_TARGET.zoneId,
          arn: `arn:aws:apigateway:${this.region}::/domainnames/${String(inputs.domainName)}`,
        };
      case 'aws:wafv2/webAcl:WebAcl':
        return { arn: arn('wafv2', `regional/webacl/${String(inputs.namePrefix ?? name)}${this.suffix}/${id}`) };
      case 'aws:lambda/function:Function': {
        const functionName = `${name}-${this.suffix}`;
        const fnArn = arn('lambda', `function:${functionName}`);
        return { name: functionName, arn: fnArn, invokeArn: `arn:aws:apigateway:${this.region}:lambda:path/2015-03-31/functions/${fnArn}/invocations` };
      }
      case 'aws:cloudwatch/logGroup:LogGroup': {
        const groupName = typeof inputs.name === 'string' ? inputs.name : `${String(inputs.namePrefix ?? name)}${this.suffix}`;
        return { name: groupName, arn: arn('logs', `log-group:${groupName}`) };
      }
      case 'aws:iam/role:Role': {
        const roleName = typeof inputs.name === 'string' ? inputs.name : typeof inputs.namePrefix === 'string' ? `${inputs.namePrefix}${this.suffix}` : `${name}-${this.suffix}`;
        return { name: roleName, arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}` };
      }
      case 'aws:dynamodb/table:Table': {
        const tableName = `${name}-${this.suffix}`;
        return { name: tableName, arn: arn('dynamodb', `table/${tableName}`) };
      }
      case 'aws:cognito/userPool:UserPool': {
        // Cognito's pool id is REGION_suffix; endpoint is the issuer without https:// (provider docs, cognito.UserPool outputs).
        const poolId = `${this.region}_${name.replace(/[^0-9a-zA-Z]/g, '').slice(0, 9)}`;
        return { arn: arn('cognito-idp', `userpool/${poolId}`), endpoint: `cognito-idp.${this.region}.amazonaws.com/${poolId}` };
      }
      case 'aws:apigateway/apiKey:ApiKey':
        // A fake, deterministic key: tests check it never leaves the program unmasked.
        return { value: fakeApiKey(name), arn: `arn:aws:apigateway:${this.region}::/apikeys/${id}` };
      case 'aws:apigateway/usagePlanKey:UsagePlanKey':
        // The provider copies the key's value into the usage-plan key's state (its `value` output).
        return { value: fakeApiKey(String(inputs.keyId).replace(/-id$/, '')), name: String(inputs.keyId).replace(/-id$/, '') };
      default:
        return {};
    }
  }
}

/**
 * The fake value the mocks give an API key named `name` (40 alphanumerics, like a real one). The mocks' own
 * answer (synth prints it, masked); exported so tests can tell the key in an output or a log.
 */
export function fakeApiKey(name: string): string {
  return `MOCK${createHash('sha256').update(name).digest('hex').slice(0, 36)}`;
}

/**
 * Installs the mocks for one program run of `project` (default `koa-apigateway`, this repository's; `synth`
 * passes the project's own Pulumi.yaml `name`, so `pulumi.Config()` and `pulumi.getProject()` read its keys).
 * `account` chooses what a read of the account's API Gateway settings finds: `fresh` (default, no
 * CloudWatch role, as a new account) or `role-set`.
 */
export async function installMocks(
  options: { project?: string; stack?: string; config?: Record<string, string>; preview?: boolean; region?: string; account?: AccountState; suffix?: string; dns?: readonly ZoneRecordSet[] } = {},
): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(options.region ?? options.config?.['aws:region'] ?? 'us-east-1', options.account ?? 'fresh', options.suffix, options.dns);
  await pulumi.runtime.setMocks(mocks, options.project ?? 'koa-apigateway', options.stack ?? 'dev', options.preview ?? false);
  pulumi.runtime.setAllConfig(options.config ?? {});
  mocks.attach();
  return mocks;
}

/** Waits until every registration the program started has reached the mocks. */
export async function settle(): Promise<void> {
  const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs(): Promise<void> };
  await settings.waitForRPCs();
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
