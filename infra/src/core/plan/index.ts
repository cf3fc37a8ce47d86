/** The plan: a Koa app's routes → the gateway spec (paths, draft-04 models, validators, hash). This module only re-exports. */
export type * from './types';
export { buildGatewaySpec } from './build';
export { discoverRoutes, type DiscoveredRoute } from './discover';
export { applyRouteOverrides } from './overrides';
export { planGatewaySpec, routesWithoutResponses } from './plan';
export { binaryMediaTypesOf, binaryMediaTypeWarnings, planBinary, BINARY_MEDIA_TYPE } from './binary';
export { toGatewayPath, buildResourceTree, slugOfPath, MAX_RESOURCES, type GatewayPath } from './paths';
export { toDraft04, modelName, ModelConversionError, DRAFT_04 } from './models';
export { hashOf, canonicalJson } from './hash';
export {
  assignFunctions,
  environmentBytes,
  RESERVED_VARIABLES,
  functionGroupsProblem,
  functionLimitProblems,
  invokeScopeOf,
  invokeScopeWarning,
  invokeSourcePath,
  invokeStatementBytes,
  rolePolicyCharacters,
  groupNameOf,
  perRouteName,
  resolveFunction,
  undeclaredFunctionGroups,
  unmatchedFunctionPatterns,
  ARCHITECTURES,
  DEFAULT_FUNCTION,
  FUNCTION_LIMITS,
  FUNCTION_NAME,
  type FunctionGroup,
  type FunctionGroups,
  type FunctionGroupProblem,
  type ResolvedFunction,
} from './functions';
