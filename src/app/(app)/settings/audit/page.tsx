import { AuditTable } from "@/modules/audit/components/audit-table";

export default function AuditPage() {
  return <AuditTable />;
}
