import { forbidden } from "next/navigation";
import { ApiKeysPanel } from "@/modules/apikeys/components/api-keys-panel";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export default async function ApiKeysPage() {
  const { current } = await getCurrentAccess();
  if (!current || !can(current.role, "apikeys:manage")) forbidden();
  return <ApiKeysPanel />;
}
