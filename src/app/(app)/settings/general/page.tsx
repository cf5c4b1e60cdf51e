import { WorkspaceSettingsForm } from "@/modules/workspaces/components/workspace-settings-form";
import { getCurrentAccess } from "@/server/auth/current-access";

export default async function GeneralSettingsPage() {
  const { current } = await getCurrentAccess();
  if (!current) return null;
  const { name, defaultCountry, timeZone } = current.workspace;
  return (
    <WorkspaceSettingsForm
      key={current.workspace.id}
      initial={{ name, defaultCountry, timeZone }}
    />
  );
}
