import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import Provider from "oidc-provider";

import { buildConfiguration, interactionPath, KEYCLOAK_ROUTES } from "./configuration";
import { handleInteraction } from "./interactions";
import { loadOrCreateKeys, type IssuerKeys } from "./keys";
import { createSignInLimits, type SignInLimitOptions } from "./sign-in-limits";
import { createUserinfoHandler } from "./userinfo";

export { LOCAL_USERS, type LocalUser } from "./users";

export type LocalIssuerLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
};

export type LocalIssuerOptions = {
  /** 0 picks a free port; the issuer URL then uses the port actually bound. */
  port: number;
  host?: string;
  publicOrigin?: string;
  realm?: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Where the signing JWKS and cookie keys are persisted (created if missing). */
  dataDir: string;
  accessTokenTtlSeconds?: number;
  /** Login-form attempt limits (sign-in-limits.ts); the defaults suit dev and tests. */
  signInLimits?: Partial<SignInLimitOptions>;
  logger: LocalIssuerLogger;
};

export type LocalIssuer = { issuer: string; close(): Promise<void> };

type MountedRequest = IncomingMessage & { originalUrl?: string };

type MountOptions = {
  issuer: string;
  realm: string;
  clientId: string;
  keys: IssuerKeys;
  signInLimits?: Partial<SignInLimitOptions>;
};

/**
 * Serves the provider under `/realms/<realm>` like Keycloak. oidc-provider works out its own
 * mount path from `req.originalUrl` vs `req.url`, so we strip the prefix and keep the original.
 * The Host header is pinned to the public origin so every advertised endpoint matches the
 * issuer, whichever address the caller used to reach us.
 */
function createRequestHandler(
  provider: Provider,
  { issuer, realm, clientId, keys, signInLimits }: MountOptions,
) {
  const limits = createSignInLimits(signInLimits);
  const publicUrl = new URL(issuer);
  const prefix = publicUrl.pathname;
  const loginActions = interactionPath(issuer, "");
  const userinfoPath = `${prefix}${KEYCLOAK_ROUTES.userinfo}`;
  const userinfo = createUserinfoHandler(provider, { issuer, realm, clientId, keys });
  const callback = provider.callback();

  return async (req: MountedRequest, res: ServerResponse) => {
    const url = req.url ?? "/";
    const pathname = url.split("?")[0] ?? "/";
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(
        `Not found. This is a local OIDC issuer; see ${issuer}/.well-known/openid-configuration`,
      );
      return;
    }
    req.headers.host = publicUrl.host;
    delete req.headers["x-forwarded-host"];
    if (publicUrl.protocol === "https:") req.headers["x-forwarded-proto"] = "https";

    if (pathname.startsWith(loginActions)) {
      const uid = pathname.slice(loginActions.length);
      await handleInteraction(req, res, {
        provider,
        realm,
        action: pathname,
        uid,
        signInLimits: limits,
      });
      return;
    }
    if (pathname === userinfoPath && (req.method === "GET" || req.method === "POST")) {
      await userinfo(req, res);
      return;
    }
    if (pathname === prefix && req.method === "GET") {
      // Keycloak's realm info document; handy as a health check.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ realm, "token-service": `${issuer}/protocol/openid-connect` }));
      return;
    }
    const rest = url.slice(prefix.length);
    req.originalUrl = url;
    req.url = rest.startsWith("/") ? rest : `/${rest}`;
    callback(req, res);
  };
}

export async function startLocalIssuer(opts: LocalIssuerOptions): Promise<LocalIssuer> {
  const host = opts.host ?? "127.0.0.1";
  const realm = opts.realm ?? "salestrack";
  const keys = await loadOrCreateKeys(opts.dataDir);

  // The provider needs the bound port for its issuer URL, so it is attached after listen().
  const mounted: { handler?: ReturnType<typeof createRequestHandler> } = {};
  const server = createServer((req, res) => {
    if (!mounted.handler) {
      res.writeHead(503).end();
      return;
    }
    mounted.handler(req, res).catch((err: unknown) => {
      opts.logger.warn({ err }, "local issuer request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const publicOrigin = (opts.publicOrigin ?? `http://localhost:${port}`).replace(/\/+$/, "");
  const issuer = `${publicOrigin}/realms/${encodeURIComponent(realm)}`;
  const provider = new Provider(
    issuer,
    buildConfiguration({
      issuer,
      realm,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      redirectUris: opts.redirectUris,
      postLogoutRedirectUris: opts.postLogoutRedirectUris,
      accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 300,
      keys,
    }),
  );
  provider.proxy = publicOrigin.startsWith("https:");
  provider.on("server_error", (_ctx: unknown, err: unknown) => {
    opts.logger.warn({ err }, "local issuer server error");
  });
  mounted.handler = createRequestHandler(provider, {
    issuer,
    realm,
    clientId: opts.clientId,
    keys,
    signInLimits: opts.signInLimits,
  });

  opts.logger.info(
    { issuer, host, port, clientId: opts.clientId },
    "LOCAL STAND-IN for Keycloak (dev/test only, never production): local OIDC issuer started",
  );

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets (browsers, fetch) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
