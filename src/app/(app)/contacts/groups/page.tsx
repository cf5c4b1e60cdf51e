import { GroupsPanel } from "@/modules/contacts/components/groups-panel";

export default function GroupsPage() {
  return <GroupsPanel />;
}
