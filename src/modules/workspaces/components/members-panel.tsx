"use client";

import { EmptyTableRow, ListFooter } from "@/components/shell/list-parts";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
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
import { errorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import { AddMemberForm } from "./add-member-form";
import { RemoveMemberButton } from "./remove-member-button";
import { RoleSelect } from "./role-select";

const PAGE_SIZE = 20;

export function MembersPanel() {
  const t = useTranslations("team");
  const format = useFormatter();
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
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: () => (toast.success(t("roleChanged")), invalidate()),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
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
                      onChange={(role) => changeRole.mutate({ userId: m.userId, role })}
                    />
                  </TableCell>
                  <TableCell>
                    <Badge variant="secondary">{t(`source_${m.source}`)}</Badge>
                  </TableCell>
                  <TableCell>
                    {m.lastLoginAt ? format.relativeTime(m.lastLoginAt) : t("never")}
                  </TableCell>
                  <TableCell className="text-right">
                    <RemoveMemberButton
                      userId={m.userId}
                      name={m.name ?? m.email ?? ""}
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
      <AddMemberForm onAdded={invalidate} />
    </div>
  );
}
