"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RowSelectionState } from "@tanstack/react-table";
import { Contact, Download, FolderTree, Plus, Upload } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PaginationBar } from "@/components/ui/pagination-bar";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { ContactView } from "../contacts.schema";
import { BulkBar } from "./bulk-bar";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { ContactFormDialog } from "./contact-form-dialog";
import { ContactsFiltersBar } from "./contacts-filters";
import { ContactsTable, displayName, type ContactSort, type RowAction } from "./contacts-table";
import { filtersToQuery, PAGE_SIZES, type ContactsFilters } from "./contacts-url";
import { ReasonDialog } from "./reason-dialog";
import { useUndoToast } from "./use-undo-toast";

const SEARCH_DEBOUNCE_MS = 250;

type DialogState =
  | null
  | { kind: "form"; contact: ContactView | null }
  | { kind: "optOut" | "optIn" | "delete"; contact: ContactView };

/** The Contacts page: filters (kept in the URL), the server-paginated table and its actions. */
export function ContactsView({ initial }: { initial: ContactsFilters }) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("contacts");
  const common = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  const [filters, setFilters] = useState(initial);
  const [searchInput, setSearchInput] = useState(initial.search);
  const searchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [matchAll, setMatchAll] = useState(false);
  const [dialog, setDialog] = useState<DialogState>(null);

  // Reload keeps the view: filters live in the URL (no navigation, just the address).
  useEffect(() => {
    const qs = filtersToQuery(filters);
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  }, [filters]);

  const update = useCallback((patch: Partial<ContactsFilters>) => {
    setFilters((f) => ({ ...f, page: 1, ...patch }));
    setRowSelection({});
    setMatchAll(false);
  }, []);
  const onSearchInput = (value: string) => {
    setSearchInput(value);
    if (searchTimer.current) clearTimeout(searchTimer.current);
    searchTimer.current = setTimeout(() => update({ search: value }), SEARCH_DEBOUNCE_MS);
  };
  useEffect(() => () => void (searchTimer.current && clearTimeout(searchTimer.current)), []);

  const access = useQuery(trpc.workspaces.current.queryOptions());
  const canWrite = access.data?.permissions.includes("contacts:write") ?? false;
  const groups = useQuery(trpc.groups.options.queryOptions({}));
  const groupOptions = groups.data ?? [];
  const list = useQuery({
    ...trpc.contacts.list.queryOptions({
      page: filters.page,
      pageSize: filters.pageSize,
      search: filters.search.trim() || undefined,
      groupId: filters.groupId ?? undefined,
      source: filters.source ?? undefined,
      optedOut: filters.optedOut ?? undefined,
      sort: filters.sort,
      dir: filters.dir,
    }),
    placeholderData: keepPreviousData,
  });

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.contacts.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.groups.pathKey() });
  }, [queryClient, trpc]);
  const settle = (message: string) => () => (toast.success(message), setDialog(null), refresh());
  const onError = (err: unknown) => toast.error(errorMessage(err));
  const undoToast = useUndoToast(refresh);
  const optOut = useMutation(
    trpc.contacts.optOut.mutationOptions({
      onSuccess: (_, { id }) => {
        undoToast.optedOut(t("optOut.done"), id);
        setDialog(null);
        refresh();
      },
      onError,
    }),
  );
  const optIn = useMutation(
    trpc.contacts.optIn.mutationOptions({ onSuccess: settle(t("optIn.done")), onError }),
  );
  const remove = useMutation(
    trpc.contacts.delete.mutationOptions({
      onSuccess: (_, { id }) => {
        setRowSelection(({ [id]: _gone, ...rest }) => rest);
        undoToast.deleted(t("delete.done"), id);
        setDialog(null);
        refresh();
      },
      onError,
    }),
  );

  const onSort = useCallback(
    (column: ContactSort) =>
      setFilters((f) => ({
        ...f,
        page: 1,
        sort: column,
        // A new column starts in its natural direction: A→Z, newest first.
        dir:
          f.sort === column
            ? f.dir === "asc"
              ? "desc"
              : "asc"
            : column === "createdAt"
              ? "desc"
              : "asc",
      })),
    [],
  );
  const onAction = useCallback(
    (action: RowAction, contact: ContactView) =>
      setDialog(action === "edit" ? { kind: "form", contact } : { kind: action, contact }),
    [],
  );

  const hasFilters = !!(
    filters.search.trim() ||
    filters.groupId ||
    filters.source ||
    filters.optedOut
  );
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const estimate = list.data?.totalIsEstimate ?? false;
  const knownPages = Math.max(1, Math.ceil(total / filters.pageSize));
  // A page past the end (its last rows deleted or opted out): go to the last page there is.
  if (list.data && !estimate && !list.isFetching && filters.page > knownPages)
    setFilters((f) => ({ ...f, page: knownPages }));
  const pageCount = estimate
    ? Math.max(knownPages, rows.length === filters.pageSize ? filters.page + 1 : filters.page)
    : knownPages;
  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  // Gmail-style: with the whole page selected, offer every contact that matches the filters.
  const pageSelected = rows.length > 0 && rows.every((r) => rowSelection[r.id]);
  const offerMatching = canWrite && pageSelected && total > rows.length;
  const matching =
    offerMatching && matchAll
      ? {
          filters: {
            search: filters.search.trim() || undefined,
            groupId: filters.groupId ?? undefined,
            source: filters.source ?? undefined,
            optedOut: filters.optedOut ?? undefined,
          },
          total,
        }
      : null;
  const totalLabel = { total: format.number(total), estimate: String(estimate) };
  const workspaceEmpty = list.data && total === 0 && !hasFilters;
  const exportQuery = filtersToQuery(filters, { filtersOnly: true });

  const actions = (
    <div className="flex flex-wrap gap-2">
      <Button variant="outline" asChild>
        <Link href="/contacts/groups">
          <FolderTree aria-hidden />
          {t("groupsLink")}
        </Link>
      </Button>
      {canWrite && (
        <Button variant="outline" asChild>
          <Link href="/contacts/import">
            <Upload aria-hidden />
            {t("import")}
          </Link>
        </Button>
      )}
      {!workspaceEmpty && (
        <Button variant="outline" asChild>
          <a
            href={`/api/contacts/export${exportQuery ? `?${exportQuery}` : ""}`}
            download
            title={t("exportHint")}
          >
            <Download aria-hidden />
            {t("export")}
          </a>
        </Button>
      )}
      {canWrite && (
        <Button onClick={() => setDialog({ kind: "form", contact: null })}>
          <Plus aria-hidden />
          {t("newContact")}
        </Button>
      )}
    </div>
  );

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={actions} />
      {access.data && !canWrite && (
        <p className="mb-4 text-sm text-muted-foreground" role="note">
          {t("readOnly")}
        </p>
      )}
      {workspaceEmpty ? (
        <EmptyState
          icon={<Contact />}
          title={t("empty.title")}
          description={canWrite ? t("empty.body") : t("empty.readOnlyBody")}
          action={
            canWrite && (
              <div className="flex flex-wrap justify-center gap-2">
                <Button asChild>
                  <Link href="/contacts/import">
                    <Upload aria-hidden />
                    {t("import")}
                  </Link>
                </Button>
                <Button
                  variant="outline"
                  onClick={() => setDialog({ kind: "form", contact: null })}
                >
                  <Plus aria-hidden />
                  {t("newContact")}
                </Button>
              </div>
            )
          }
        />
      ) : (
        <Card>
          <CardContent className="space-y-4">
            <ContactsFiltersBar
              searchInput={searchInput}
              onSearchInput={onSearchInput}
              filters={filters}
              onChange={update}
              groupOptions={groupOptions}
              onClear={
                hasFilters
                  ? () => {
                      setSearchInput("");
                      if (searchTimer.current) clearTimeout(searchTimer.current);
                      update({ search: "", groupId: null, source: null, optedOut: null });
                    }
                  : null
              }
            />
            <div className="flex min-h-8 flex-wrap items-center justify-between gap-2">
              <p className="text-sm text-muted-foreground" aria-live="polite">
                {list.data &&
                  (estimate
                    ? t("countEstimate", { count: format.number(total) })
                    : t("count", { count: total }))}
              </p>
              {selectedIds.length > 0 && (
                <BulkBar
                  ids={selectedIds}
                  matching={matching}
                  groupOptions={groupOptions}
                  onClear={() => (setRowSelection({}), setMatchAll(false))}
                  onDone={() => (setRowSelection({}), setMatchAll(false), refresh())}
                />
              )}
            </div>
            {offerMatching && (
              <div
                role="status"
                className="flex flex-wrap items-center justify-center gap-x-2 rounded-md border bg-muted/40 px-3 py-1.5 text-sm"
              >
                <span>
                  {matchAll
                    ? t("bulk.matchingSelected", totalLabel)
                    : t("bulk.pageSelected", { count: rows.length })}
                </span>
                <Button variant="link" size="sm" onClick={() => setMatchAll(!matchAll)}>
                  {matchAll ? t("bulk.selectPageOnly") : t("bulk.selectMatching", totalLabel)}
                </Button>
              </div>
            )}
            {list.isError ? (
              <div
                role="alert"
                className="flex flex-wrap items-center gap-3 py-6 text-sm text-destructive"
              >
                <span>
                  {t("table.loadError")} {errorMessage(list.error)}
                </span>
                <Button variant="outline" size="sm" onClick={() => void list.refetch()}>
                  {t("table.retry")}
                </Button>
              </div>
            ) : (
              <ContactsTable
                rows={rows}
                loading={list.isPending || list.isPlaceholderData}
                canWrite={canWrite}
                sort={filters.sort}
                dir={filters.dir}
                onSort={onSort}
                rowSelection={rowSelection}
                onRowSelectionChange={setRowSelection}
                onAction={onAction}
                emptyMessage={t("table.noMatches")}
              />
            )}
            <div className="flex flex-wrap items-center justify-between gap-3">
              <div className="flex items-center gap-2 text-sm text-muted-foreground">
                <span id="contacts-page-size">{t("pageSize")}</span>
                <Select
                  value={String(filters.pageSize)}
                  onValueChange={(v) => update({ pageSize: Number(v) })}
                >
                  <SelectTrigger className="w-20" size="sm" aria-labelledby="contacts-page-size">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {PAGE_SIZES.map((n) => (
                      <SelectItem key={n} value={String(n)}>
                        {n}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </div>
              {pageCount > 1 && (
                <PaginationBar
                  className="flex-1 sm:max-w-md"
                  page={filters.page}
                  pageCount={pageCount}
                  disabled={list.isFetching}
                  labels={{
                    previous: common("previous"),
                    next: common("next"),
                    status: estimate
                      ? t("pageStatus", { page: filters.page })
                      : common("pageOf", { page: filters.page, pages: pageCount }),
                  }}
                  onPageChange={(page) => (
                    setFilters((f) => ({ ...f, page })),
                    setRowSelection({})
                  )}
                />
              )}
            </div>
          </CardContent>
        </Card>
      )}

      <ContactFormDialog
        open={dialog?.kind === "form"}
        onOpenChange={(open) => !open && setDialog(null)}
        contact={dialog?.kind === "form" ? dialog.contact : null}
        groupOptions={groupOptions}
        onSaved={refresh}
      />
      {dialog?.kind === "optOut" && (
        <ReasonDialog
          open
          onOpenChange={(open) => !open && setDialog(null)}
          title={t("optOut.title", { name: displayName(dialog.contact) })}
          description={t("optOut.body")}
          confirmLabel={t("optOut.confirm")}
          destructive
          pending={optOut.isPending}
          onConfirm={(reason) => optOut.mutate({ id: dialog.contact.id, reason })}
        />
      )}
      {dialog?.kind === "optIn" && (
        <ReasonDialog
          open
          onOpenChange={(open) => !open && setDialog(null)}
          title={t("optIn.title", { name: displayName(dialog.contact) })}
          description={t("optIn.body")}
          confirmLabel={t("optIn.confirm")}
          pending={optIn.isPending}
          onConfirm={(reason) => optIn.mutate({ id: dialog.contact.id, reason })}
        />
      )}
      <ConfirmDialog
        open={dialog?.kind === "delete"}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t("delete.title", {
          name: dialog?.kind === "delete" ? displayName(dialog.contact) : "",
        })}
        description={t("delete.body")}
        confirmLabel={t("delete.confirm")}
        onConfirm={() => dialog?.kind === "delete" && remove.mutate({ id: dialog.contact.id })}
      />
    </>
  );
}
