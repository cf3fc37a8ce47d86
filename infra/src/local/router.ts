/** A method the router can serve (the definition's operations: Lambda proxies and MOCK preflights). */
export interface RoutableMethod {
  /** `GET`, `POST`…, or `ANY`. */
  method: string;
  resourcePath: string;
}

/** The result of routing a request: the method found, and the path variables it bound. */
export interface RouteMatch<M extends RoutableMethod = RoutableMethod> {
  method: M;
  resourcePath: string;
  /** Variable name → value, exactly as sent (not percent-decoded: docs/apigateway-behaviour.md §1.14), or null when none. */
  pathParameters: Record<string, string> | null;
}

interface Node<M> {
  literal: Map<string, Node<M>>;
  variable?: { name: string; node: Node<M> };
  greedy?: { name: string; node: Node<M> };
  methods: Map<string, M>;
  resourcePath: string;
}

const ANY_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

/**
 * Stage 6, the resource and method: returns a router over resource paths, matching as API Gateway REST APIs
 * do (docs/apigateway-behaviour.md §1):
 * a literal part beats `{param}`, which beats `{proxy+}`, but a resource wins only if it has the
 * method (or ANY); otherwise routing backs off to the next candidate. `{proxy+}` never matches `/`.
 */
export function createRouter<M extends RoutableMethod>(methods: readonly M[]): (httpMethod: string, path: string) => RouteMatch<M> | null {
  const root: Node<M> = newNode('/');
  for (const m of methods) {
    let node = root;
    for (const part of m.resourcePath.split('/').filter(Boolean)) node = child(node, part);
    node.methods.set(m.method.toUpperCase(), m);
  }
  return (httpMethod, path) => match(root, httpMethod.toUpperCase(), path);
}

function newNode<M>(resourcePath: string): Node<M> {
  return { literal: new Map(), methods: new Map(), resourcePath };
}

function child<M>(node: Node<M>, part: string): Node<M> {
  const path = `${node.resourcePath === '/' ? '' : node.resourcePath}/${part}`;
  const greedy = /^\{(\w+)\+\}$/.exec(part);
  if (greedy) return (node.greedy ??= { name: greedy[1]!, node: newNode(path) }).node;
  const variable = /^\{(\w+)\}$/.exec(part);
  if (variable) return (node.variable ??= { name: variable[1]!, node: newNode(path) }).node;
  let next = node.literal.get(part);
  if (!next) node.literal.set(part, (next = newNode(path)));
  return next;
}

interface Segment {
  text: string;
  start: number;
}

function match<M>(root: Node<M>, httpMethod: string, path: string): RouteMatch<M & RoutableMethod> | null {
  // Empty segments (double slashes) and one trailing slash are ignored for matching (§1.11, §1.12).
  const segments: Segment[] = [];
  const re = /[^/]+/g;
  for (let m = re.exec(path); m; m = re.exec(path)) segments.push({ text: m[0], start: m.index });
  const found = walk(root, segments, 0, httpMethod, path, {});
  if (!found) return null;
  const names = Object.keys(found.params);
  return { method: found.method as M & RoutableMethod, resourcePath: found.node.resourcePath, pathParameters: names.length ? found.params : null };
}

function walk<M>(
  node: Node<M>,
  segments: Segment[],
  index: number,
  httpMethod: string,
  path: string,
  params: Record<string, string>,
): { node: Node<M>; method: M; params: Record<string, string> } | null {
  if (index === segments.length) {
    const method = methodOf(node, httpMethod);
    return method ? { node, method, params } : null;
  }
  const segment = segments[index]!;
  const literal = node.literal.get(segment.text);
  if (literal) {
    const found = walk(literal, segments, index + 1, httpMethod, path, params);
    if (found) return found;
  }
  if (node.variable) {
    const found = walk(node.variable.node, segments, index + 1, httpMethod, path, { ...params, [node.variable.name]: segment.text });
    if (found) return found;
  }
  if (node.greedy) {
    const method = methodOf(node.greedy.node, httpMethod);
    // The greedy value is the rest of the path as sent, inner double slashes kept, trailing slash dropped (§1.11, §1.12).
    if (method) return { node: node.greedy.node, method, params: { ...params, [node.greedy.name]: path.slice(segment.start).replace(/\/+$/, '') } };
  }
  return null;
}

function methodOf<M>(node: Node<M>, httpMethod: string): M | undefined {
  // ANY serves the seven methods API Gateway knows; GET does not serve HEAD (§1.10, UNCONFIRMED for HEAD on AWS).
  return node.methods.get(httpMethod) ?? (ANY_METHODS.has(httpMethod) ? node.methods.get('ANY') : undefined);
}
