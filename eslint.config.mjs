import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";
import { readdirSync } from "node:fs";

// The drizzle rules catch `db.delete(t)` / `db.update(t)` without a `.where()` — the classic
// "wiped a tenant's table" bug. `drizzleObjectName` limits them to our database handles.
const drizzleObjectName = ["db", "tx", "systemDb"];

// Module boundaries (DESIGN §5): a module's *.queries.ts and *.table.ts are its own; other
// code calls its service. One rule entry per file (flat config does not merge a rule's
// options), generated from the folders of src/modules so a new module is covered at once.
const MODULES = readdirSync(new URL("./src/modules", import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const privateFilesOf = (m) => [`**/${m}/**/*.queries`, `**/${m}/**/*.table`];
const boundary = (modules) => ({
  "@typescript-eslint/no-restricted-imports": [
    "error",
    {
      patterns: [
        {
          group: modules.flatMap(privateFilesOf),
          // Types carry no database access: `import type { Workspace }` stays allowed.
          allowTypeImports: true,
          message:
            "A module's queries and tables are its own: call its service instead (docs/architecture.md, Request path).",
        },
      ],
    },
  ],
});
// Older crossings, each still to move behind the owning module's service.
const KNOWN_CROSSINGS = [
  "src/modules/apikeys/apikeys.queries.ts", // joins workspace for the key's default country
  "src/modules/audit/audit.queries.ts", // joins user for the actor's name
  "src/server/auth/provision.ts", // sign-in provisioning writes memberships as the owner
  "src/server/auth/sign-out.ts",
  "scripts/cli/find-workspace.ts",
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName }],
      "no-console": "error",
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["scripts/**", "bench/**"],
    rules: { "no-console": "off" },
  },
  { files: ["**/*.{ts,tsx,mts,mjs}"], rules: boundary(MODULES) },
  ...MODULES.map((m) => ({
    files: [`src/modules/${m}/**`],
    rules: boundary(MODULES.filter((other) => other !== m)),
  })),
  {
    // A job contract is imported by the services that enqueue it, so it must not import
    // application code at load time: its handler does, with `await import()` (no cycles).
    files: ["jobs/**/*.job.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/*", "@/**", "**/src/**"],
              allowTypeImports: true,
              message:
                "Import application code inside handle() with `await import()` (docs/architecture.md, Jobs).",
            },
          ],
        },
      ],
    },
  },
  {
    // Tables reference each other (foreign keys); the db layer re-exports every table for
    // Drizzle and seeds as the owner; tests set up and check rows directly.
    files: [
      "**/*.table.ts",
      "src/server/db/**",
      "tests/**",
      "e2e/**",
      "**/*.test.ts",
      ...KNOWN_CROSSINGS,
    ],
    rules: { "@typescript-eslint/no-restricted-imports": "off" },
  },
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      ".cache/**",
      "drizzle/meta/**",
      "sdk/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
];

export default config;
