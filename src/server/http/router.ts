import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type RouteHandler = (r: RouteRequest) => Promise<void> | void;

interface Route {
  methods: readonly string[];
  segments: readonly string[];
  /** The parameter name at each position (`:id` → `id`), undefined where the segment is literal. */
  names: readonly (string | undefined)[];
  handler: RouteHandler;
}

export type Match = { kind: 'found'; handler: RouteHandler; params: Record<string, string> } | { kind: 'method'; allowed: string[] } | { kind: 'none' };

/**
 * Matches decoded path segments against patterns like `/api/v1/releases/:id`. Segments are
 * decoded one by one, so an encoded `%2F` cannot forge a separator, and any `.`/`..` segment
 * (plain or encoded) matches nothing: traversal gets a 404 before any handler runs.
 */
export class Router {
  /** Routes by their number of segments, in the order they were added: a path is tried only against its own length. */
  private readonly routes = new Map<number, Route[]>();

  on(methods: string | readonly string[], pattern: string, handler: RouteHandler): this {
    const segments = pattern.split('/').slice(1);
    const names = segments.map((p) => (p.startsWith(':') ? p.slice(1) : undefined));
    const sameLength = this.routes.get(segments.length) ?? [];
    sameLength.push({ methods: typeof methods === 'string' ? [methods] : methods, segments, names, handler });
    this.routes.set(segments.length, sameLength);
    return this;
  }

  match(method: string, pathname: string): Match {
    const segments = decodeSegments(pathname);
    if (!segments) return { kind: 'none' };
    const allowed: string[] = [];
    for (const route of this.routes.get(segments.length) ?? []) {
      const params = matchSegments(route, segments);
      if (!params) continue;
      if (route.methods.includes(method)) return { kind: 'found', handler: route.handler, params };
      allowed.push(...route.methods);
    }
    return allowed.length > 0 ? { kind: 'method', allowed } : { kind: 'none' };
  }
}

export function decodeSegments(pathname: string): string[] | undefined {
  if (!pathname.startsWith('/')) return undefined;
  const out: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let s = raw;
    if (raw.includes('%')) {
      try {
        s = decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    }
    if (s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0')) return undefined;
    out.push(s);
  }
  return out;
}

function matchSegments(route: Route, path: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < path.length; i++) {
    const name = route.names[i];
    const s = path[i]!;
    if (name !== undefined) {
      if (s === '') return undefined;
      params[name] = s;
    } else if (route.segments[i] !== s) return undefined;
  }
  return params;
}
