import { env } from "@/env";
import { AppError } from "@/lib/errors";

export type OidcEndpoints = {
  token_endpoint: string;
  end_session_endpoint?: string;
  issuer: string;
};

let cached: { at: number; value: OidcEndpoints } | null = null;
const TTL_MS = 10 * 60_000;

export function issuerUrl(): string {
  if (!env.AUTH_KEYCLOAK_ISSUER)
    throw new AppError("INTERNAL", "server.notConfigured", {
      params: { name: "AUTH_KEYCLOAK_ISSUER" },
    });
  return env.AUTH_KEYCLOAK_ISSUER.replace(/\/$/, "");
}

/** The issuer's discovery document, cached for ten minutes. */
export async function oidcEndpoints(): Promise<OidcEndpoints> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const res = await fetch(`${issuerUrl()}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok)
    throw new AppError("SERVICE_UNAVAILABLE", "auth.idpUnavailable", {
      params: { status: res.status },
    });
  const value = (await res.json()) as OidcEndpoints;
  cached = { at: Date.now(), value };
  return value;
}

export function clientCredentials() {
  if (!env.AUTH_KEYCLOAK_SECRET)
    throw new AppError("INTERNAL", "server.notConfigured", {
      params: { name: "AUTH_KEYCLOAK_SECRET" },
    });
  return { clientId: env.AUTH_KEYCLOAK_ID, clientSecret: env.AUTH_KEYCLOAK_SECRET };
}
