"use client";

import { ListFooter } from "@/components/shell/list-parts";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
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

const PAGE_SIZE = 20;

export function PendingInvitations({ onChanged }: { onChanged: () => void }) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("invitations");
  const shell = useTranslations("shell");
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const list = useQuery({
    ...trpc.invitations.list.queryOptions({ page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const revoke = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSuccess: () => (toast.success(t("revoked")), onChanged()),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const pages = Math.ceil((list.data?.total ?? 0) / PAGE_SIZE);

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("pendingTitle")}</CardTitle>
        <CardDescription>{t("pendingDescription")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {list.data?.total === 0 && <p className="text-sm text-muted-foreground">{t("empty")}</p>}
        {!!list.data?.total && (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{t("email")}</TableHead>
                <TableHead>{t("role")}</TableHead>
                <TableHead>{t("invitedBy")}</TableHead>
                <TableHead>{t("expires")}</TableHead>
                <TableHead className="text-right">{t("actions")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data?.rows.map((inv) => (
                <TableRow key={inv.id}>
                  <TableCell className="font-medium">{inv.email}</TableCell>
                  <TableCell>{shell(`role_${inv.role}`)}</TableCell>
                  <TableCell>{inv.invitedByName ?? inv.invitedByEmail ?? "—"}</TableCell>
                  <TableCell>
                    {inv.expired ? (
                      <Badge variant="outline">{t("expired")}</Badge>
                    ) : (
                      format.relativeTime(inv.expiresAt, now)
                    )}
                  </TableCell>
                  <TableCell className="text-right">
                    <ConfirmDialog
                      trigger={
                        <Button
                          variant="ghost"
                          size="icon"
                          aria-label={t("revokeFor", { email: inv.email })}
                        >
                          <Trash2 className="size-4" aria-hidden />
                        </Button>
                      }
                      title={t("confirmRevokeTitle", { email: inv.email })}
                      description={t("confirmRevokeBody")}
                      confirmLabel={t("revoke")}
                      onConfirm={() => revoke.mutate({ id: inv.id })}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <ListFooter error={list.error} page={page} pages={pages} onPageChange={setPage} />
      </CardContent>
    </Card>
  );
}
