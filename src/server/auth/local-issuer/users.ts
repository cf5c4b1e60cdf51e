import { scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Seeded accounts of the local stand-in issuer. Only scrypt hashes live here; the demo passwords
 * are documented (README, tests) but never stored. `sub` values are fixed so the app's
 * auto-provisioned users survive restarts and match between runs.
 */
export type LocalUser = {
  sub: string;
  email: string;
  preferredUsername: string;
  name: string;
  givenName: string;
  familyName: string;
  locale: "es" | "en";
  groups: string[];
  /** Realm roles on top of Keycloak's defaults (`default-roles-<realm>`, `offline_access`). */
  realmRoles: string[];
  /** Roles of the app's own client (`resource_access.<clientId>.roles`). */
  clientRoles: string[];
};

type StoredUser = LocalUser & { passwordHash: string };

export const ADMIN_SUB = "0ee36ac3-a29a-4d48-b9c3-95541964a31f";
export const OPERATOR_SUB = "d79310bf-204a-4128-a23c-fb60cb7940c7";
export const VIEWER_SUB = "b1ff1825-6498-4565-be9d-668d104f3643";

const DEMO_GROUPS = ["/workspaces/demo"];

// Roles deliberately sit in different places (client vs realm) so the app exercises both.
const STORED_USERS: readonly StoredUser[] = [
  {
    sub: ADMIN_SUB,
    email: "admin@salestrack.local",
    preferredUsername: "admin",
    name: "Ana Admin",
    givenName: "Ana",
    familyName: "Admin",
    locale: "es",
    groups: DEMO_GROUPS,
    realmRoles: [],
    clientRoles: ["admin"],
    passwordHash:
      "scrypt$16384$8$1$aP4ZwSZRtI3-FeWRNIko-w$gTzy_jVqtDkC8uY6z_kPDcu5hG9JlKVqKaSfr5aq76c",
  },
  {
    sub: OPERATOR_SUB,
    email: "operator@salestrack.local",
    preferredUsername: "operator",
    name: "Óscar Operador",
    givenName: "Óscar",
    familyName: "Operador",
    locale: "es",
    groups: DEMO_GROUPS,
    realmRoles: ["operator"],
    clientRoles: [],
    passwordHash:
      "scrypt$16384$8$1$zaFiz988VFNxUOdUEtf7Jg$g392vNkUJBLtnVjlbVSd6dJ5bJunsuFAYwDq6tsImLM",
  },
  {
    sub: VIEWER_SUB,
    email: "viewer@salestrack.local",
    preferredUsername: "viewer",
    name: "Vera Viewer",
    givenName: "Vera",
    familyName: "Viewer",
    locale: "en",
    groups: DEMO_GROUPS,
    realmRoles: [],
    clientRoles: ["viewer"],
    passwordHash:
      "scrypt$16384$8$1$ScXBulC6b-uo0Cdpkd_TRQ$0VqZRhD__6To3MtyEIpIxBIh1zBC3xsloz02mNXXuoI",
  },
];

// Compared against when the username is unknown, so both failure paths cost one scrypt.
const DUMMY_HASH =
  "scrypt$16384$8$1$qZJl2CFv7f0qpwtUbGosCQ$siqggBYJsOW73xsPUUcUnX0fqWeQZ4lvXN-Y2Yp8WTU";

/** The seeded users without their password hashes. */
export const LOCAL_USERS: readonly LocalUser[] = STORED_USERS.map(
  ({ passwordHash: _hash, ...user }) => user,
);

export function findLocalUserBySub(sub: string): LocalUser | undefined {
  return LOCAL_USERS.find((user) => user.sub === sub);
}

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** Accepts the e-mail address or the preferred username (like Keycloak's login form). */
export async function authenticateLocalUser(
  login: string,
  password: string,
): Promise<LocalUser | undefined> {
  const needle = login.trim().toLowerCase();
  const stored = STORED_USERS.find(
    (user) => user.email === needle || user.preferredUsername === needle,
  );
  const ok = await verifyPassword(password, stored?.passwordHash ?? DUMMY_HASH);
  return ok && stored ? findLocalUserBySub(stored.sub) : undefined;
}
