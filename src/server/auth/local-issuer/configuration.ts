import { errors, type Configuration, type JWKS, type KoaContextWithOIDC } from "oidc-provider";

import { accessClaims, profileClaims, SCOPE_CLAIMS, type RealmContext } from "./keycloak-claims";
import type { IssuerKeys } from "./keys";
import { findLocalUserBySub } from "./users";
import { errorPage, logoutPage, postLogoutPage } from "./views";

export type IssuerConfigOptions = RealmContext & {
  issuer: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  accessTokenTtlSeconds: number;
  keys: IssuerKeys;
};

const REFRESH_TOKEN_TTL = 30 * 60;
const SESSION_TTL = 10 * 60 * 60;

/** Keycloak's endpoint paths, so URLs in logs and browser bars look like the real thing. */
export const KEYCLOAK_ROUTES = {
  authorization: "/protocol/openid-connect/auth",
  token: "/protocol/openid-connect/token",
  userinfo: "/protocol/openid-connect/userinfo",
  jwks: "/protocol/openid-connect/certs",
  end_session: "/protocol/openid-connect/logout",
  revocation: "/protocol/openid-connect/revoke",
  introspection: "/protocol/openid-connect/token/introspect",
  pushed_authorization_request: "/protocol/openid-connect/ext/par/request",
};

/** The path the login form lives under; the HTTP server routes it to the interaction handler. */
export function interactionPath(issuer: string, uid: string) {
  return `${new URL(issuer).pathname}/login-actions/${encodeURIComponent(uid)}`;
}

/**
 * Consent is implicit for the app's own client: whatever it asks for (within what the server
 * supports) is granted, so the user only ever sees the login form, as with Keycloak's
 * first-party clients.
 */
async function loadOrCreateGrant(ctx: KoaContextWithOIDC) {
  const { session, client, provider } = ctx.oidc;
  const accountId = session?.accountId;
  if (!accountId || !client) return undefined;
  const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  const grant =
    existing?.accountId === accountId
      ? existing
      : new provider.Grant({ accountId, clientId: client.clientId });
  grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(" "));
  for (const [indicator, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
    const scopes = [...ctx.oidc.requestParamScopes].filter((scope) => server.scopes.has(scope));
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  await grant.save();
  return grant;
}

export function buildConfiguration(opts: IssuerConfigOptions): Configuration {
  const { issuer, clientId, accessTokenTtlSeconds } = opts;
  // Access tokens need a resource server to be JWTs; the app's own client is that audience.
  const apiResource = `${issuer}/resources/${encodeURIComponent(clientId)}`;
  const allowedOrigins = new Set(opts.redirectUris.map((uri) => new URL(uri).origin));
  const homeUrl = opts.postLogoutRedirectUris[0] ?? [...allowedOrigins][0];

  return {
    clients: [
      {
        client_id: clientId,
        client_secret: opts.clientSecret,
        client_name: "SalesTrack",
        // Registering basic still accepts client_secret_post; oidc-provider treats them as one.
        token_endpoint_auth_method: "client_secret_basic",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: opts.redirectUris,
        post_logout_redirect_uris: opts.postLogoutRedirectUris,
        id_token_signed_response_alg: "RS256",
      },
    ],
    jwks: opts.keys.jwks as JWKS,
    cookies: {
      keys: opts.keys.cookieKeys,
      // Cookies are shared across ports on localhost; distinct names avoid clashing with the app.
      names: {
        session: "local_issuer_session",
        interaction: "local_issuer_interaction",
        resume: "local_issuer_resume",
      },
    },
    routes: KEYCLOAK_ROUTES,
    responseTypes: ["code"],
    scopes: ["openid", "offline_access", "profile", "email"],
    claims: {
      acr: null,
      sid: null,
      auth_time: null,
      iss: null,
      openid: [...SCOPE_CLAIMS.openid],
      profile: [...SCOPE_CLAIMS.profile],
      email: [...SCOPE_CLAIMS.email],
    },
    // Keycloak puts profile/e-mail/groups/roles in the ID token; next-auth reads them from there.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const user = findLocalUserBySub(sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        claims: () => ({ sub: user.sub, ...profileClaims(user), ...accessClaims(user, opts) }),
      };
    },
    async extraTokenClaims(_ctx, token) {
      const user = "accountId" in token ? findLocalUserBySub(token.accountId) : undefined;
      if (!user) return undefined;
      return {
        typ: "Bearer",
        azp: token.clientId,
        sid: "sessionUid" in token ? token.sessionUid : undefined,
        ...profileClaims(user),
        ...accessClaims(user, opts),
      };
    },
    loadExistingGrant: loadOrCreateGrant,
    // Keycloak always hands out refresh tokens on the code flow, offline_access or not.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      IdToken: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      RefreshToken: REFRESH_TOKEN_TTL,
      Interaction: 30 * 60,
      Session: SESSION_TTL,
      Grant: SESSION_TTL,
    },
    interactions: { url: (_ctx, interaction) => interactionPath(issuer, interaction.uid) },
    clientBasedCORS: (_ctx, origin) => allowedOrigins.has(origin),
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== apiResource) throw new errors.InvalidTarget();
          return {
            scope: "openid profile email offline_access",
            audience: clientId,
            accessTokenTTL: accessTokenTtlSeconds,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.type = "html";
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource(ctx) {
          ctx.type = "html";
          ctx.body = postLogoutPage(homeUrl);
        },
      },
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = errorPage(
        "Error de inicio de sesión / Sign-in error",
        out.error_description ?? out.error,
      );
    },
  };
}
