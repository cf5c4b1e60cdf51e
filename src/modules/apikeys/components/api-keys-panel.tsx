"use client";

import { EmptyTableRow, ListFooter } from "@/components/shell/list-parts";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { ExternalLink } from "lucide-react";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";
import { CreateApiKeyForm } from "./create-api-key-form";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

const PAGE_SIZE = 20;

export function ApiKeysPanel() {
  const t = useTranslations("apikeys");
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const keys = useQuery({
    ...trpc.apiKeys.list.queryOptions({ page, pageSize: PAGE_SIZE, includeRevoked }),
    placeholderData: keepPreviousData,
  });
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const pages = Math.ceil((keys.data?.total ?? 0) / PAGE_SIZE);
  const date = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <CardTitle>{t("title")}</CardTitle>
          <CardDescription>
            {t("description")}{" "}
            <a
              href="/api/v1/docs"
              target="_blank"
              rel="noreferrer"
              className="inline-flex items-center gap-1 underline underline-offset-4"
            >
              {t("docsLink")}
              <ExternalLink className="size-3" aria-hidden />
            </a>
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <label className="flex w-fit items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-primary"
              checked={includeRevoked}
              onChange={(e) => (setIncludeRevoked(e.target.checked), setPage(1))}
            />
            {t("showRevoked")}
          </label>
          <div className="overflow-x-auto">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("name")}</TableHead>
                  <TableHead>{t("key")}</TableHead>
                  <TableHead>{t("scopes")}</TableHead>
                  <TableHead>{t("created")}</TableHead>
                  <TableHead>{t("lastUsed")}</TableHead>
                  <TableHead>{t("status")}</TableHead>
                  <TableHead className="text-right">{t("actions")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {keys.data?.rows.map((k) => (
                  <TableRow
                    key={k.id}
                    className={k.revokedAt ? "text-muted-foreground" : undefined}
                  >
                    <TableCell className="font-medium">{k.name}</TableCell>
                    <TableCell>
                      <code className="text-xs">{k.prefix}…</code>
                    </TableCell>
                    <TableCell>
                      <div className="flex flex-wrap gap-1">
                        {k.scopes.map((s) => (
                          <Badge key={s} variant="outline">
                            {s}
                          </Badge>
                        ))}
                      </div>
                    </TableCell>
                    <TableCell>{date(k.createdAt)}</TableCell>
                    <TableCell>
                      {k.lastUsedAt ? format.relativeTime(k.lastUsedAt, now) : t("never")}
                    </TableCell>
                    <TableCell>
                      {k.revokedAt ? (
                        <Badge variant="destructive" title={date(k.revokedAt)}>
                          {t("statusRevoked")}
                        </Badge>
                      ) : (
                        <Badge variant="secondary">{t("statusActive")}</Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right">
                      {!k.revokedAt && (
                        <RevokeApiKeyButton id={k.id} name={k.name} onRevoked={invalidate} />
                      )}
                    </TableCell>
                  </TableRow>
                ))}
                <EmptyTableRow show={keys.data?.rows.length === 0} colSpan={7}>
                  {t("empty")}
                </EmptyTableRow>
              </TableBody>
            </Table>
          </div>
          <ListFooter error={keys.error} page={page} pages={pages} onPageChange={setPage} />
        </CardContent>
      </Card>
      <CreateApiKeyForm onCreated={invalidate} />
    </div>
  );
}
