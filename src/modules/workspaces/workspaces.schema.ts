import { z } from "zod";
import { isCountryCode } from "@/lib/countries";
import { errorKey } from "@/lib/error-ref";
import { memberRole } from "./workspaces.table";

export const roleSchema = z.enum(memberRole.enumValues);

// Intl.supportedValuesOf lists canonical zones only (no UTC, no Asia/Kolkata): ask the
// formatter instead, which accepts every IANA name Postgres knows too — and also old Java
// ids Postgres does not know (`PLT`, `AET`) or reads otherwise (`IST`, `CST`): an
// `Area/Location` name or UTC only.
function isTimeZone(tz: string): boolean {
  if (tz !== "UTC" && !/^[A-Za-z]+\/[A-Za-z0-9_+\-/]+$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const workspaceSettingsInput = z.object({
  name: z.string().trim().min(2).max(80),
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCountryCode, errorKey("workspace.countryUnknown")),
  timeZone: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .refine(isTimeZone, errorKey("workspace.timeZoneUnknown")),
});
export type WorkspaceSettingsInput = z.infer<typeof workspaceSettingsInput>;
/** REST: any of the settings; the others stay as they are. */
export const workspaceSettingsPatch = workspaceSettingsInput.partial();

export const createWorkspaceInput = z.object({ name: z.string().trim().min(2).max(80) });

export const listMembersInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(5).max(100).default(20),
  search: z.string().trim().max(100).optional(),
});

export const changeRoleInput = z.object({ userId: z.uuid(), role: roleSchema });
export const removeMemberInput = z.object({ userId: z.uuid() });
