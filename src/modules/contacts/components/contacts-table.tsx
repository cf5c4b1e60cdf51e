"use client";

import { formatPhone } from "@/lib/phone-format";
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type RowSelectionState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, MoreHorizontal } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { ContactView } from "../contacts.schema";
import { Checkbox } from "./checkbox";

export type ContactSort = "createdAt" | "nombre" | "phone";
export type RowAction = "edit" | "optOut" | "optIn" | "delete";

const MAX_GROUP_BADGES = 3;
// On a phone the table scrolls sideways inside its card; the row menu stays pinned in view.
const PINNED_ACTIONS = "max-md:sticky max-md:right-0 max-md:bg-card";

export const displayName = (c: Pick<ContactView, "nombre" | "phone">) => c.nombre || c.phone;

function SortHeader({
  column,
  label,
  sort,
  dir,
  onSort,
}: {
  column: ContactSort;
  label: string;
  sort: ContactSort;
  dir: "asc" | "desc";
  onSort: (column: ContactSort) => void;
}) {
  const t = useTranslations("contacts.columns");
  const active = sort === column;
  const Icon = !active ? ArrowUpDown : dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <Button
      variant="ghost"
      size="sm"
      className="-ml-3 h-8"
      onClick={() => onSort(column)}
      aria-label={`${t("sortBy", { column: label })}${active ? ` (${t(dir === "asc" ? "sortedAsc" : "sortedDesc")})` : ""}`}
    >
      {label}
      <Icon className={active ? "" : "opacity-40"} aria-hidden />
    </Button>
  );
}

/** One page of contacts; sorting and paging happen on the server. */
export function ContactsTable({
  rows,
  loading,
  canWrite,
  sort,
  dir,
  onSort,
  rowSelection,
  onRowSelectionChange,
  onAction,
  emptyMessage,
}: {
  rows: ContactView[];
  loading: boolean;
  canWrite: boolean;
  sort: ContactSort;
  dir: "asc" | "desc";
  onSort: (column: ContactSort) => void;
  rowSelection: RowSelectionState;
  onRowSelectionChange: OnChangeFn<RowSelectionState>;
  onAction: (action: RowAction, contact: ContactView) => void;
  emptyMessage: string;
}) {
  const t = useTranslations("contacts");
  const format = useFormatter();

  const columns = useMemo<ColumnDef<ContactView>[]>(() => {
    const sortHeader = (column: ContactSort, label: string) => (
      <SortHeader column={column} label={label} sort={sort} dir={dir} onSort={onSort} />
    );
    const list: ColumnDef<ContactView>[] = [
      {
        id: "phone",
        header: () => sortHeader("phone", t("columns.phone")),
        cell: ({ row }) => (
          <span className="font-mono text-xs tabular-nums" title={row.original.phone}>
            {formatPhone(row.original.phone)}
          </span>
        ),
      },
      {
        id: "nombre",
        header: () => sortHeader("nombre", t("columns.nombre")),
        cell: ({ row }) => (
          <div className="max-w-64 truncate">
            {row.original.sustantivo && (
              <span className="text-muted-foreground">{row.original.sustantivo} </span>
            )}
            <Link
              href={`/contacts/${row.original.id}`}
              className="font-medium underline-offset-4 hover:underline"
            >
              {displayName(row.original)}
            </Link>
          </div>
        ),
      },
      {
        id: "groups",
        header: () => t("columns.groups"),
        cell: ({ row }) => {
          const groups = row.original.groups;
          const rest = groups.length - MAX_GROUP_BADGES;
          return (
            <div className="flex max-w-72 flex-wrap gap-1">
              {groups.slice(0, MAX_GROUP_BADGES).map((g) => (
                <Badge key={g.id} variant="secondary" className="max-w-40 truncate">
                  {g.name}
                </Badge>
              ))}
              {rest > 0 && (
                <Badge variant="outline" title={groups.map((g) => g.name).join(", ")}>
                  +{rest}
                </Badge>
              )}
            </div>
          );
        },
      },
      {
        id: "source",
        header: () => t("columns.source"),
        cell: ({ row }) => <Badge variant="outline">{t(`source.${row.original.source}`)}</Badge>,
      },
      {
        id: "status",
        header: () => t("columns.status"),
        cell: ({ row }) => {
          const c = row.original;
          if (!c.optedOutAt)
            return <span className="text-muted-foreground">{t("status.active")}</span>;
          const detail = t("status.optedOutSince", {
            date: format.dateTime(c.optedOutAt, { dateStyle: "medium" }),
            reason: c.optOutReason ?? "—",
          });
          return (
            <Badge variant="destructive" title={detail} aria-label={detail}>
              {t("status.optedOut")}
            </Badge>
          );
        },
      },
      {
        id: "createdAt",
        header: () => sortHeader("createdAt", t("columns.createdAt")),
        cell: ({ row }) => (
          <span className="whitespace-nowrap text-muted-foreground">
            {format.dateTime(row.original.createdAt, { dateStyle: "medium" })}
          </span>
        ),
      },
    ];
    if (!canWrite) return list;
    return [
      {
        id: "select",
        header: ({ table }) => (
          <Checkbox
            aria-label={t("columns.selectAll")}
            checked={table.getIsAllPageRowsSelected()}
            indeterminate={table.getIsSomePageRowsSelected()}
            onChange={table.getToggleAllPageRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <Checkbox
            aria-label={t("columns.selectRow", { name: displayName(row.original) })}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      },
      ...list,
      {
        id: "actions",
        header: () => <span className="sr-only">{t("columns.actions")}</span>,
        cell: ({ row }) => <RowMenu contact={row.original} onAction={onAction} />,
      },
    ];
  }, [canWrite, sort, dir, onSort, onAction, t, format]);

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table returns new functions each render by design
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    enableRowSelection: canWrite,
    state: { rowSelection },
    onRowSelectionChange,
  });

  const ariaSort = (id: string) =>
    id === sort ? (dir === "asc" ? "ascending" : "descending") : undefined;

  return (
    <Table aria-label={t("table.label")} aria-busy={loading}>
      <TableHeader>
        {table.getHeaderGroups().map((hg) => (
          <TableRow key={hg.id}>
            {hg.headers.map((h) => (
              <TableHead
                key={h.id}
                aria-sort={ariaSort(h.column.id)}
                className={
                  h.column.id === "select"
                    ? "w-8"
                    : h.column.id === "actions"
                      ? `w-10 ${PINNED_ACTIONS}`
                      : undefined
                }
              >
                {flexRender(h.column.columnDef.header, h.getContext())}
              </TableHead>
            ))}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {loading && rows.length === 0
          ? Array.from({ length: 8 }, (_, i) => (
              <TableRow key={`skeleton-${i}`}>
                {columns.map((c) => (
                  <TableCell key={c.id}>
                    <Skeleton className="h-4 w-full max-w-32" />
                  </TableCell>
                ))}
              </TableRow>
            ))
          : table.getRowModel().rows.map((row) => (
              <TableRow key={row.id} data-state={row.getIsSelected() ? "selected" : undefined}>
                {row.getVisibleCells().map((cell) => (
                  <TableCell
                    key={cell.id}
                    className={cell.column.id === "actions" ? PINNED_ACTIONS : undefined}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </TableCell>
                ))}
              </TableRow>
            ))}
        {!loading && rows.length === 0 && (
          <TableRow>
            <TableCell colSpan={columns.length} className="py-10 text-center text-muted-foreground">
              {emptyMessage}
            </TableCell>
          </TableRow>
        )}
      </TableBody>
    </Table>
  );
}

function RowMenu({
  contact,
  onAction,
}: {
  contact: ContactView;
  onAction: (action: RowAction, contact: ContactView) => void;
}) {
  const t = useTranslations("contacts.row");
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={t("menu", { name: displayName(contact) })}>
          <MoreHorizontal aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem onSelect={() => onAction("edit", contact)}>{t("edit")}</DropdownMenuItem>
        {contact.optedOutAt ? (
          <DropdownMenuItem onSelect={() => onAction("optIn", contact)}>
            {t("optIn")}
          </DropdownMenuItem>
        ) : (
          <DropdownMenuItem onSelect={() => onAction("optOut", contact)}>
            {t("optOut")}
          </DropdownMenuItem>
        )}
        <DropdownMenuSeparator />
        <DropdownMenuItem variant="destructive" onSelect={() => onAction("delete", contact)}>
          {t("delete")}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
