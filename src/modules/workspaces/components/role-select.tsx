"use client";

import { useTranslations } from "next-intl";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import type { MemberRole } from "../workspaces.table";

const ROLES: MemberRole[] = ["admin", "operator", "viewer"];

export function RoleSelect({
  value,
  onChange,
  label,
  disabled,
}: {
  value: MemberRole;
  onChange: (role: MemberRole) => void;
  label: string;
  disabled?: boolean;
}) {
  const t = useTranslations("shell");
  return (
    <Select value={value} onValueChange={(v) => onChange(v as MemberRole)} disabled={disabled}>
      <SelectTrigger className="w-40" aria-label={label}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {ROLES.map((r) => (
          <SelectItem key={r} value={r}>
            {t(`role_${r}`)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
