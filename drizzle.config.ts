import { defineConfig } from "drizzle-kit";

// Only used by `npm run db:generate`, which diffs the schema files and writes SQL; it never
// connects, so no URL is needed here. Migrations are applied by the app at start.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/server/db/schema.ts",
  out: "./drizzle",
  casing: "snake_case",
});
