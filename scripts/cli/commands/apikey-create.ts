import { API_KEY_SCOPES, createApiKeyInput } from "@/modules/apikeys/apikeys.schema";
import { defineCommand, requireString, UsageError } from "../command";

export type ApiKeyCreateArgs = {
  workspace: string;
  name: string;
  scopes: (typeof API_KEY_SCOPES)[number][];
};

export const apiKeyCreate = defineCommand<ApiKeyCreateArgs>({
  name: "apikey create",
  summary: "Create a workspace API key and print it (once)",
  synopsis: "--workspace SLUG --name NAME [--scopes SCOPE,SCOPE…]",
  help: [
    "--workspace SLUG   The workspace's slug (or id).",
    '--name NAME        A label to tell keys apart, e.g. "n8n production".',
    `--scopes LIST      Comma-separated, from: ${API_KEY_SCOPES.join(", ")}.`,
    "                   Default: all of them.",
    "",
    "Prints only the key on stdout, so it can be captured: KEY=$(npm run -s cli -- apikey create …).",
    "The key is stored as a hash and cannot be shown again.",
  ],
  options: {
    workspace: { type: "string", short: "w" },
    name: { type: "string", short: "n" },
    scopes: { type: "string", short: "s" },
  },
  parse(values) {
    const workspace = requireString(values, "workspace");
    const scopesText = typeof values.scopes === "string" ? values.scopes : API_KEY_SCOPES.join(",");
    const parsed = createApiKeyInput.safeParse({
      name: requireString(values, "name"),
      scopes: scopesText
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? "");
      const detail =
        field === "scopes" && issue.code === "invalid_value"
          ? `unknown scope; use ${API_KEY_SCOPES.join(", ")}`
          : issue.message;
      throw new UsageError(`--${field}: ${detail}`);
    }
    return { workspace, ...parsed.data };
  },
  needsDatabase: true,
  load: () => import("./apikey-create.run"),
});
