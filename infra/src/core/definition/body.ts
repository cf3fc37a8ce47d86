import { canonicalJson, hashOf } from '../plan/hash';
import type { ApiDefinition } from './types';

/** Returns the RestApi `body`: the definition as canonical JSON (keys sorted at every level), so the same definition is the same text. */
export function serializeDefinition(definition: ApiDefinition): string {
  return canonicalJson(definition);
}

/** Returns the sha256 of the serialised definition: the Deployment's trigger. */
export function definitionHash(definition: ApiDefinition): string {
  return hashOf(definition);
}
