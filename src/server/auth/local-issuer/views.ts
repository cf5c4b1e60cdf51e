/**
 * HTML of the local issuer's pages. Self-contained (inline CSS, no fonts or CDNs) because the
 * machines this runs on may have no network; bilingual because the team works in es and en.
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f4f5;color:#18181b}
main{width:100%;max-width:380px;margin:24px;padding:32px;background:#fff;border-radius:12px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.35rem;margin:0 0 4px}
p{color:#52525b;line-height:1.45}
.badge{display:inline-block;font-size:.75rem;padding:2px 8px;border-radius:999px;background:#fef3c7;
color:#92400e;margin-bottom:16px}
label{display:block;font-size:.875rem;font-weight:600;margin:16px 0 6px}
input{width:100%;padding:10px 12px;border:1px solid #d4d4d8;border-radius:8px;font-size:1rem}
input:focus,button:focus,a:focus{outline:2px solid #2563eb;outline-offset:2px}
button,.button{display:block;width:100%;margin-top:24px;padding:11px;border:0;border-radius:8px;
background:#18181b;color:#fff;font-size:1rem;font-weight:600;cursor:pointer;text-align:center;
text-decoration:none}
[role=alert]{margin:16px 0 0;padding:10px 12px;border-radius:8px;background:#fee2e2;color:#991b1b}
@media (prefers-color-scheme:dark){body{background:#09090b;color:#fafafa}main{background:#18181b}
p{color:#a1a1aa}input{background:#09090b;color:#fafafa;border-color:#3f3f46}
button,.button{background:#fafafa;color:#18181b}}
`;

function page(title: string, body: string, head = ""): string {
  return `<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>${head}
</head>
<body><main>${body}</main></body>
</html>`;
}

export type LoginPageProps = {
  action: string;
  realm: string;
  clientName: string;
  username?: string;
  error?: string;
};

export function loginPage({ action, realm, clientName, username, error }: LoginPageProps): string {
  const alert = error ? `<p role="alert">${escapeHtml(error)}</p>` : "";
  return page(
    "Iniciar sesión / Sign in",
    `<span class="badge">Local · ${escapeHtml(realm)}</span>
<h1>Iniciar sesión / Sign in</h1>
<p>${escapeHtml(clientName)}</p>${alert}
<form method="post" action="${escapeHtml(action)}" autocomplete="on">
<label for="username">Correo electrónico / Email</label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus
 value="${escapeHtml(username)}" autocapitalize="none" spellcheck="false">
<label for="password">Contraseña / Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Iniciar sesión / Sign in</button>
</form>`,
  );
}

/**
 * `form` is oidc-provider's own hidden form (action + xsrf). The script clicks the visible
 * button, so RP-initiated logout needs no extra click; without JS the button still works.
 */
export function logoutPage(form: string): string {
  return page(
    "Cerrando sesión / Signing out",
    `<h1>Cerrando sesión / Signing out</h1>
<p>Un momento… / One moment…</p>
${form}
<button id="logout-yes" type="submit" form="op.logoutForm" name="logout" value="yes">Cerrar sesión / Sign out</button>
<script>document.getElementById("logout-yes").click();</script>`,
  );
}

export function postLogoutPage(homeUrl: string | undefined): string {
  const link = homeUrl
    ? `<a class="button" href="${escapeHtml(homeUrl)}">Volver a SalesTrack / Back to SalesTrack</a>`
    : "";
  return page(
    "Sesión cerrada / Signed out",
    `<h1>Sesión cerrada / Signed out</h1>
<p>Has cerrado la sesión correctamente. / You have been signed out.</p>${link}`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p>`);
}
