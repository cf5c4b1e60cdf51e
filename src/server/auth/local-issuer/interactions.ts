import type { IncomingMessage, ServerResponse } from "node:http";

import type Provider from "oidc-provider";
import { errors } from "oidc-provider";

import type { SignInLimits } from "./sign-in-limits";
import { authenticateLocalUser } from "./users";
import { errorPage, loginPage } from "./views";

export type InteractionContext = {
  provider: Provider;
  realm: string;
  /** Path of this interaction's page; the form posts back to it. */
  action: string;
  /** The uid segment of that path, still URL-encoded. */
  uid: string;
  signInLimits: SignInLimits;
};

const MAX_FORM_BYTES = 16 * 1024;
const INVALID_LOGIN = "Usuario o contraseña incorrectos / Invalid username or password";
const INVALID_REQUEST = "Solicitud no válida / Invalid request";
const TOO_MANY_ATTEMPTS = (seconds: number) =>
  `Demasiados intentos: espera ${seconds} s / Too many attempts: wait ${seconds} s`;
const RETRY =
  "Vuelve a la aplicación e inicia sesión de nuevo. / Go back to the app and sign in again.";

class FormTooLarge extends Error {}

function send(
  res: ServerResponse,
  status: number,
  html: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...extra,
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    // No script on these pages; form-action is left open because the 303s go to the app.
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new FormTooLarge("form body too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

async function clientName(provider: Provider, clientId: unknown) {
  const client = typeof clientId === "string" ? await provider.Client.find(clientId) : undefined;
  return client?.clientName ?? "SalesTrack";
}

type InteractionDetails = Awaited<ReturnType<Provider["interactionDetails"]>>;

/** Grants whatever the consent prompt reports missing (first-party client, no consent screen). */
async function grantEverythingAsked(provider: Provider, details: InteractionDetails) {
  const { accountId } = details.session ?? {};
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  const grantId = await grant.save();
  return existing ? {} : { grantId };
}

/**
 * GET renders the login form; POST checks the password and hands the result back to
 * oidc-provider, which then redirects to the app with a code. Consent never shows up here
 * because the grant is created in `loadExistingGrant`; the consent branch is a safety net.
 * No CSRF token: the interaction cookie is SameSite=Lax, so a cross-site POST arrives without
 * it and fails as an expired request.
 */
export async function handleInteraction(
  req: IncomingMessage,
  res: ServerResponse,
  { provider, realm, action, uid, signInLimits }: InteractionContext,
): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res);
    if (encodeURIComponent(details.uid) !== uid) {
      send(res, 400, errorPage(INVALID_REQUEST, RETRY));
      return;
    }
    const name = await clientName(provider, details.params.client_id);

    if (details.prompt.name === "consent") {
      const consent = await grantEverythingAsked(provider, details);
      await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
      return;
    }
    if (details.prompt.name !== "login") {
      send(res, 400, errorPage(INVALID_REQUEST, details.prompt.name));
      return;
    }
    if (req.method === "GET") {
      send(res, 200, loginPage({ action, realm, clientName: name }));
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "GET, POST" }).end();
      return;
    }

    const form = await readForm(req);
    const username = form.get("username") ?? "";
    const admitted = signInLimits.admit(req, username);
    if (!admitted.ok) {
      const error = TOO_MANY_ATTEMPTS(admitted.retryAfterSeconds);
      send(res, 429, loginPage({ action, realm, clientName: name, username, error }), {
        "retry-after": String(admitted.retryAfterSeconds),
      });
      return;
    }
    const user = await authenticateLocalUser(username, form.get("password") ?? "");
    if (!user) {
      signInLimits.failed(username);
      // 200 like Keycloak: the page is a normal form with an error, not a failed request.
      send(
        res,
        200,
        loginPage({ action, realm, clientName: name, username, error: INVALID_LOGIN }),
      );
      return;
    }
    // remember: false gives a browser-session cookie, like Keycloak without "remember me".
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub, remember: false } },
      { mergeWithLastSubmission: false },
    );
  } catch (err) {
    if (err instanceof errors.SessionNotFound) {
      send(res, 400, errorPage("La solicitud caducó / The request expired", RETRY));
      return;
    }
    if (err instanceof FormTooLarge) {
      send(res, 413, errorPage(INVALID_REQUEST, err.message));
      return;
    }
    throw err;
  }
}
