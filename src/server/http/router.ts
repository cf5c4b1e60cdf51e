import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The fast lane's route table: method + path pattern (`/api/webhooks/infobip/:botId`), matched
 * segment by segment. Small on purpose — a handful of routes served before Next's router.
 */

export type RouteContext = {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  requestId: string;
};

export type RouteMethod = "GET" | "POST";

export type Route<Extra = object> = Extra & {
  method: RouteMethod;
  /** Literal segments and `:name` parameters; no wildcards. */
  path: string;
  handler: (ctx: RouteContext) => Promise<void>;
};

export type RouteMatch<Extra = object> =
  | { kind: "route"; route: Route<Extra>; params: Record<string, string> }
  /** The path exists but not for this method: 405 with `Allow`. */
  | { kind: "method_not_allowed"; pattern: string; allow: string[] };

type Compiled<Extra> = { route: Route<Extra>; segments: string[] };

function methodMatches(route: RouteMethod, method: string): boolean {
  // A GET route answers HEAD too (node:http sends the headers without the body).
  return route === method || (route === "GET" && method === "HEAD");
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if (seg.startsWith(":")) {
      if (!part) return null;
      try {
        params[seg.slice(1)] = decodeURIComponent(part);
      } catch {
        return null;
      }
    } else if (seg !== part) {
      return null;
    }
  }
  return params;
}

export function createRouteTable<Extra = object>(routes: Route<Extra>[]) {
  const compiled: Compiled<Extra>[] = routes.map((route) => ({
    route,
    segments: route.path.split("/"),
  }));

  return {
    routes,
    /** The route for this request, a 405, or null (not ours: Next serves it). */
    match(method: string, pathname: string): RouteMatch<Extra> | null {
      const parts = pathname.split("/");
      let allow: string[] = [];
      let pattern = "";
      for (const { route, segments } of compiled) {
        const params = matchSegments(segments, parts);
        if (!params) continue;
        if (methodMatches(route.method, method)) return { kind: "route", route, params };
        allow = [...allow, ...(route.method === "GET" ? ["GET", "HEAD"] : [route.method])];
        pattern = route.path;
      }
      return allow.length > 0 ? { kind: "method_not_allowed", pattern, allow } : null;
    },
  };
}
