import { MembersPanel } from "@/modules/workspaces/components/members-panel";

export default function TeamPage() {
  return <MembersPanel />;
}
