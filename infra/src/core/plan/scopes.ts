/**
 * Returns why `scope` cannot be an OAuth scope a Cognito user pool issues, or undefined when it can: a
 * scope is one RFC 6749 §3.3 scope-token (1-256 printable ASCII characters, no space, `"` or `\`), and a
 * custom scope is `resource-server/name` with both parts non-empty (Cognito developer guide, "Scopes, M2M,
 * and resource servers": a custom scope's full name is the resource server identifier, `/`, the scope
 * name; CreateResourceServer requires both, each at least 1 character). Standard scopes (`openid`,
 * `email`, `aws.cognito.signin.user.admin`) have no `/`. Used by the plan (route declarations) and by
 * `npm run token --scope`, so both accept the same names.
 */
export function scopeProblem(scope: unknown): string | undefined {
  if (typeof scope !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/.test(scope)) return 'not an OAuth scope (1-256 printable characters, no whitespace or quotes)';
  const slash = scope.lastIndexOf('/');
  if (slash === 0) return 'a custom scope with an empty resource server (the part before "/")';
  if (slash === scope.length - 1) return 'a custom scope with an empty scope name (the part after "/")';
  return undefined;
}
