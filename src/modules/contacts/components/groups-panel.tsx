"use client";

import { EmptyTableRow, ListFooter } from "@/components/shell/list-parts";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, FolderTree, Pencil, Plus, Trash2, Users } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { GroupView } from "../contacts.schema";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { GroupNameDialog } from "./group-name-dialog";

const PAGE_SIZE = 20;

type DialogState = null | { kind: "create" } | { kind: "rename" | "delete"; group: GroupView };

/** Groups with their member counts: create, rename, delete, and jump to their contacts. */
export function GroupsPanel() {
  const { errorMessage, fieldErrorsOf } = useErrorMessage();
  const t = useTranslations("contacts.groups");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [searchInput, setSearchInput] = useState("");
  const [search, setSearch] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [nameError, setNameError] = useState<string | null>(null);

  const access = useQuery(trpc.workspaces.current.queryOptions());
  const canWrite = access.data?.permissions.includes("contacts:write") ?? false;
  const groups = useQuery({
    ...trpc.groups.list.queryOptions({ page, pageSize: PAGE_SIZE, search: search || undefined }),
    placeholderData: keepPreviousData,
  });
  const pages = Math.ceil((groups.data?.total ?? 0) / PAGE_SIZE);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.groups.pathKey() });
  const close = () => (setDialog(null), setNameError(null));
  const onNameError = (err: unknown) => {
    if (fieldErrorsOf(err).name?.length) setNameError(t("nameTaken"));
    else toast.error(errorMessage(err));
  };
  const create = useMutation(
    trpc.groups.create.mutationOptions({
      onSuccess: () => (toast.success(t("created")), close(), refresh()),
      onError: onNameError,
    }),
  );
  const rename = useMutation(
    trpc.groups.rename.mutationOptions({
      onSuccess: () => (toast.success(t("renamed")), close(), refresh()),
      onError: onNameError,
    }),
  );
  const remove = useMutation(
    trpc.groups.delete.mutationOptions({
      onSuccess: () => (toast.success(t("deleted")), close(), refresh()),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  const onSearch = (value: string) => {
    setSearchInput(value);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => (setSearch(value.trim()), setPage(1)), 250);
  };
  const noGroupsAtAll = groups.data && groups.data.total === 0 && !search;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" asChild>
              <Link href="/contacts">
                <ArrowLeft aria-hidden />
                {t("backToContacts")}
              </Link>
            </Button>
            {canWrite && (
              <Button onClick={() => setDialog({ kind: "create" })}>
                <Plus aria-hidden />
                {t("create")}
              </Button>
            )}
          </div>
        }
      />
      {noGroupsAtAll ? (
        <EmptyState icon={<FolderTree />} title={t("title")} description={t("empty")} />
      ) : (
        <Card>
          <CardContent className="space-y-4">
            <Input
              type="search"
              value={searchInput}
              onChange={(e) => onSearch(e.target.value)}
              placeholder={t("search")}
              aria-label={t("search")}
              className="max-w-sm"
            />
            <Table aria-label={t("title")} aria-busy={groups.isFetching}>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("name")}</TableHead>
                  <TableHead className="text-right">{t("members")}</TableHead>
                  <TableHead>{t("createdAt")}</TableHead>
                  <TableHead className="text-right">{t("actions")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {groups.isPending &&
                  Array.from({ length: 4 }, (_, i) => (
                    <TableRow key={i}>
                      {Array.from({ length: 4 }, (__, j) => (
                        <TableCell key={j}>
                          <Skeleton className="h-4 w-24" />
                        </TableCell>
                      ))}
                    </TableRow>
                  ))}
                {groups.data?.rows.map((g) => (
                  <TableRow key={g.id}>
                    <TableCell className="font-medium">{g.name}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {format.number(g.memberCount)}
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      {format.dateTime(g.createdAt, { dateStyle: "medium" })}
                    </TableCell>
                    <TableCell className="text-right">
                      <div className="flex justify-end gap-1">
                        <Button variant="ghost" size="sm" asChild>
                          <Link
                            href={`/contacts?groupId=${g.id}`}
                            aria-label={t("viewContactsOf", { name: g.name })}
                          >
                            <Users aria-hidden />
                            {t("viewContacts")}
                          </Link>
                        </Button>
                        {canWrite && (
                          <>
                            <Button
                              variant="ghost"
                              size="icon"
                              aria-label={t("renameOf", { name: g.name })}
                              onClick={() => setDialog({ kind: "rename", group: g })}
                            >
                              <Pencil aria-hidden />
                            </Button>
                            <Button
                              variant="ghost"
                              size="icon"
                              aria-label={t("deleteOf", { name: g.name })}
                              onClick={() => setDialog({ kind: "delete", group: g })}
                            >
                              <Trash2 aria-hidden />
                            </Button>
                          </>
                        )}
                      </div>
                    </TableCell>
                  </TableRow>
                ))}
                <EmptyTableRow show={groups.data?.rows.length === 0} colSpan={4}>
                  {t("noMatches")}
                </EmptyTableRow>
              </TableBody>
            </Table>
            <ListFooter error={groups.error} page={page} pages={pages} onPageChange={setPage} />
          </CardContent>
        </Card>
      )}

      {(dialog?.kind === "create" || dialog?.kind === "rename") && (
        <GroupNameDialog
          open
          onOpenChange={(open) => !open && close()}
          title={dialog.kind === "create" ? t("createTitle") : t("renameTitle")}
          initialName={dialog.kind === "rename" ? dialog.group.name : ""}
          submitLabel={dialog.kind === "create" ? t("create") : t("rename")}
          pending={create.isPending || rename.isPending}
          error={nameError}
          onSubmit={(name) => {
            setNameError(null);
            if (dialog.kind === "create") create.mutate({ name });
            else rename.mutate({ id: dialog.group.id, name });
          }}
        />
      )}
      <ConfirmDialog
        open={dialog?.kind === "delete"}
        onOpenChange={(open) => !open && close()}
        title={t("deleteTitle", { name: dialog?.kind === "delete" ? dialog.group.name : "" })}
        description={t("deleteBody", {
          count: dialog?.kind === "delete" ? dialog.group.memberCount : 0,
        })}
        confirmLabel={t("delete")}
        onConfirm={() => dialog?.kind === "delete" && remove.mutate({ id: dialog.group.id })}
      />
    </>
  );
}
