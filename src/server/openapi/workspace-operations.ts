/**
 * The workspace's settings over REST (`/api/v1/workspace`, scope `settings:write`): the same
 * validation as the settings form, so an unknown country or time zone is refused (400, with
 * its error code) and never saved.
 */
import { workspaceSettingsPatch } from "@/modules/workspaces/workspaces.schema";
import type { ApiOperation } from "./operations";

export const WORKSPACE_API = {
  updateWorkspaceSettings: {
    operationId: "updateWorkspaceSettings",
    method: "patch",
    path: "/workspace",
    tag: "Workspace",
    summary: "Change the workspace's settings",
    description:
      "Any of: name; default country, an ISO 3166-1 alpha-2 code used to read phone numbers written without a country code; time zone, an IANA name used for quiet hours and schedules. An unknown country or zone answers 400 with the code `workspace.countryUnknown` or `workspace.timeZoneUnknown` on its field, and nothing is saved.",
    scope: "settings:write",
    body: {
      kind: "json",
      schema: "WorkspaceSettingsPatch",
      zod: workspaceSettingsPatch,
      example: { defaultCountry: "PY", timeZone: "America/Asuncion" },
    },
    success: { status: 200, description: "The settings as saved.", schema: "WorkspaceSettings" },
    errors: [400],
  },
} as const satisfies Record<string, ApiOperation>;
