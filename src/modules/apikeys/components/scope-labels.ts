import type { ApiKeyScope } from "../apikeys.schema";

/** Message keys (namespace `apikeys`) of each scope's label and explanation. */
export const SCOPE_MESSAGES: Record<ApiKeyScope, { label: string; hint: string }> = {
  "contacts:read": { label: "scopeContactsRead", hint: "scopeContactsReadHint" },
  "contacts:write": { label: "scopeContactsWrite", hint: "scopeContactsWriteHint" },
  "imports:write": { label: "scopeImportsWrite", hint: "scopeImportsWriteHint" },
  "campaigns:read": { label: "scopeCampaignsRead", hint: "scopeCampaignsReadHint" },
  "campaigns:write": { label: "scopeCampaignsWrite", hint: "scopeCampaignsWriteHint" },
  "settings:write": { label: "scopeSettingsWrite", hint: "scopeSettingsWriteHint" },
  "stats:read": { label: "scopeStatsRead", hint: "scopeStatsReadHint" },
};
