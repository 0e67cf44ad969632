import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Shared by every request for the same path (the router keeps recent matches): read only. */
  params: Readonly<Record<string, string>>;
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

export type Match = Found | { kind: 'method'; allowed: string[] } | { kind: 'none' };

interface Found {
  kind: 'found';
  handler: RouteHandler;
  params: Readonly<Record<string, string>>;
}

/** How many recent matches the router keeps (a fleet asks for a few paths, over and over). */
const recentLimit = 256;

/**
 * Matches decoded path segments against patterns like `/api/v1/releases/:id`. Segments are
 * decoded one by one, so an encoded `%2F` cannot forge a separator, and any `.`/`..` segment
 * (plain or encoded) matches nothing: traversal gets a 404 before any handler runs.
 */
export class Router {
  /** Routes by their number of segments, in the order they were added: a path is tried only against its own length. */
  private readonly routes = new Map<number, Route[]>();
  /**
   * Found matches by method and path. A device fetching its image in 4 KiB ranges asks for the
   * same path thousands of times; decoding and matching it once is enough. Only found matches are
   * kept, and the whole map is dropped when full, so made-up paths cannot grow it.
   */
  private readonly recent = new Map<string, Map<string, Found>>();

  on(methods: string | readonly string[], pattern: string, handler: RouteHandler): this {
    const segments = pattern.split('/').slice(1);
    const names = segments.map((p) => (p.startsWith(':') ? p.slice(1) : undefined));
    const sameLength = this.routes.get(segments.length) ?? [];
    sameLength.push({ methods: typeof methods === 'string' ? [methods] : methods, segments, names, handler });
    this.routes.set(segments.length, sameLength);
    return this;
  }

  match(method: string, pathname: string): Match {
    // By method, then path: no key string to build per request (Node's parser knows a fixed set of methods).
    let recent = this.recent.get(method);
    const hit = recent?.get(pathname);
    if (hit) return hit;
    const found = this.matchUncached(method, pathname);
    if (found.kind === 'found') {
      if (!recent) this.recent.set(method, (recent = new Map()));
      if (recent.size >= recentLimit) recent.clear();
      recent.set(pathname, found);
    }
    return found;
  }

  private matchUncached(method: string, pathname: string): Match {
    const segments = decodeSegments(pathname);
    if (!segments) return { kind: 'none' };
    const allowed: string[] = [];
    for (const route of this.routes.get(segments.length) ?? []) {
      const params = matchSegments(route, segments);
      if (!params) continue;
      if (route.methods.includes(method)) return { kind: 'found', handler: route.handler, params: Object.freeze(params) };
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
