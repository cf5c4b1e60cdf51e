"use client";

import { EmptyTableRow, ListFooter } from "@/components/shell/list-parts";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import type { MemberRole } from "../workspaces.table";
import { InviteMemberForm } from "./invite-member-form";
import { PendingInvitations } from "./pending-invitations";
import { RemoveMemberButton } from "./remove-member-button";
import { RoleSelect } from "./role-select";

const PAGE_SIZE = 20;

export function MembersPanel() {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("team");
  const shell = useTranslations("shell");
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState("");
  const members = useQuery({
    ...trpc.members.list.queryOptions({ page, pageSize: PAGE_SIZE, search: search || undefined }),
    placeholderData: keepPreviousData,
  });
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const invalidateInvitations = () =>
    queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey() });
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: () => (toast.success(t("roleChanged")), invalidate()),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  // A role change is asked for first: picking from a list is easy to do by mistake.
  const [pendingRole, setPendingRole] = useState<{
    userId: string;
    name: string;
    role: MemberRole;
    sso: boolean;
  } | null>(null);
  const pages = Math.ceil((members.data?.total ?? 0) / PAGE_SIZE);

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <CardTitle>{t("title")}</CardTitle>
          <CardDescription>{t("description")}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <Input
            type="search"
            value={search}
            onChange={(e) => (setSearch(e.target.value), setPage(1))}
            placeholder={t("searchPlaceholder")}
            aria-label={t("searchPlaceholder")}
            className="max-w-sm"
          />
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{t("name")}</TableHead>
                <TableHead>{t("email")}</TableHead>
                <TableHead>{t("role")}</TableHead>
                <TableHead>{t("source")}</TableHead>
                <TableHead>{t("lastLogin")}</TableHead>
                <TableHead className="text-right">{t("actions")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.data?.rows.map((m) => (
                <TableRow key={m.userId}>
                  <TableCell className="font-medium">{m.name ?? "—"}</TableCell>
                  <TableCell>{m.email}</TableCell>
                  <TableCell>
                    <RoleSelect
                      value={m.role}
                      label={`${t("role")}: ${m.email ?? m.name ?? ""}`}
                      disabled={changeRole.isPending}
                      onChange={(role) =>
                        setPendingRole({
                          userId: m.userId,
                          name: m.name ?? m.email ?? "",
                          role,
                          sso: m.source === "sso" && !m.rolePinned,
                        })
                      }
                    />
                  </TableCell>
                  <TableCell>
                    <Badge variant="secondary">{t(`source_${m.source}`)}</Badge>
                    {m.ssoGroup && (
                      <span className="ml-2 text-xs text-muted-foreground">{m.ssoGroup}</span>
                    )}
                    {m.source === "sso" && m.rolePinned && (
                      <span className="block text-xs text-muted-foreground">{t("rolePinned")}</span>
                    )}
                  </TableCell>
                  <TableCell>
                    {m.lastLoginAt ? format.relativeTime(m.lastLoginAt, now) : t("never")}
                  </TableCell>
                  <TableCell className="text-right">
                    <RemoveMemberButton
                      userId={m.userId}
                      name={m.name ?? m.email ?? ""}
                      ssoGroup={m.ssoGroup}
                      onRemoved={invalidate}
                    />
                  </TableCell>
                </TableRow>
              ))}
              <EmptyTableRow show={members.data?.rows.length === 0} colSpan={6}>
                {t("empty")}
              </EmptyTableRow>
            </TableBody>
          </Table>
          <ListFooter error={members.error} page={page} pages={pages} onPageChange={setPage} />
        </CardContent>
      </Card>
      <InviteMemberForm onInvited={invalidateInvitations} />
      <PendingInvitations onChanged={invalidateInvitations} />
      <ConfirmDialog
        open={pendingRole !== null}
        onOpenChange={(open) => !open && setPendingRole(null)}
        title={t("confirmRoleTitle", {
          name: pendingRole?.name ?? "",
          role: pendingRole ? shell(`role_${pendingRole.role}`) : "",
        })}
        description={t(pendingRole?.sso ? "confirmRoleBodySso" : "confirmRoleBody")}
        confirmLabel={t("confirmRoleAction")}
        onConfirm={() => {
          if (pendingRole)
            changeRole.mutate({ userId: pendingRole.userId, role: pendingRole.role });
          setPendingRole(null);
        }}
      />
    </div>
  );
}
