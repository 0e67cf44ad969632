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
  handler: RouteHandler;
}

export type Match = { kind: 'found'; handler: RouteHandler; params: Record<string, string> } | { kind: 'method'; allowed: string[] } | { kind: 'none' };

/**
 * Matches decoded path segments against patterns like `/api/v1/releases/:id`. Segments are
 * decoded one by one, so an encoded `%2F` cannot forge a separator, and any `.`/`..` segment
 * (plain or encoded) matches nothing: traversal gets a 404 before any handler runs.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(methods: string | readonly string[], pattern: string, handler: RouteHandler): this {
    this.routes.push({ methods: typeof methods === 'string' ? [methods] : methods, segments: pattern.split('/').slice(1), handler });
    return this;
  }

  match(method: string, pathname: string): Match {
    const segments = decodeSegments(pathname);
    if (!segments) return { kind: 'none' };
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
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

function matchSegments(pattern: readonly string[], path: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = path[i]!;
    if (p.startsWith(':')) {
      if (s === '') return undefined;
      params[p.slice(1)] = s;
    } else if (p !== s) return undefined;
  }
  return params;
}
