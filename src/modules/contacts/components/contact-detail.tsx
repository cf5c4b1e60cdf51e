"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Pencil, UserCheck, UserX } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatPhone } from "@/lib/phone-format";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { ContactFormDialog } from "./contact-form-dialog";
import { ContactTimeline } from "./contact-timeline";
import { displayName } from "./contacts-table";
import { ReasonDialog } from "./reason-dialog";

type Dialog = null | "edit" | "optOut" | "optIn";

/** One contact: its fields, attributes, groups, consent and history. Viewers only read. */
export function ContactDetail({ id, canWrite }: { id: string; canWrite: boolean }) {
  const t = useTranslations("contacts");
  const d = useTranslations("contacts.detail");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { errorMessage } = useErrorMessage();
  const [dialog, setDialog] = useState<Dialog>(null);
  const contact = useQuery(trpc.contacts.get.queryOptions({ id }));
  const groups = useQuery({ ...trpc.groups.options.queryOptions({}), enabled: canWrite });

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.contacts.get.queryKey({ id }) });
    void queryClient.invalidateQueries({ queryKey: trpc.contacts.timeline.queryKey({ id }) });
  }, [queryClient, trpc, id]);
  const settle = (message: string) => () => (toast.success(message), setDialog(null), refresh());
  const onError = (err: unknown) => toast.error(errorMessage(err));
  const optOut = useMutation(
    trpc.contacts.optOut.mutationOptions({ onSuccess: settle(t("optOut.done")), onError }),
  );
  const optIn = useMutation(
    trpc.contacts.optIn.mutationOptions({ onSuccess: settle(t("optIn.done")), onError }),
  );

  const back = (
    <Button variant="outline" asChild>
      <Link href="/contacts">
        <ArrowLeft aria-hidden />
        {d("back")}
      </Link>
    </Button>
  );
  if (contact.isError) {
    return (
      <>
        <PageHeader title={d("title")} actions={back} />
        <p role="alert" className="text-sm text-destructive">
          {contact.error.data?.code === "NOT_FOUND" ? d("notFound") : errorMessage(contact.error)}
        </p>
      </>
    );
  }
  const c = contact.data;
  const date = (v: Date) => format.dateTime(v, { dateStyle: "medium", timeStyle: "short" });
  const attributes = Object.entries(c?.attributes ?? {});
  const name = c ? displayName(c) : "";
  const actions = (
    <div className="flex flex-wrap gap-2">
      {back}
      {canWrite && c && (
        <>
          <Button variant="outline" onClick={() => setDialog("edit")}>
            <Pencil aria-hidden />
            {t("row.edit")}
          </Button>
          {c.optedOutAt ? (
            <Button variant="outline" onClick={() => setDialog("optIn")}>
              <UserCheck aria-hidden />
              {t("row.optIn")}
            </Button>
          ) : (
            <Button variant="outline" onClick={() => setDialog("optOut")}>
              <UserX aria-hidden />
              {t("row.optOut")}
            </Button>
          )}
        </>
      )}
    </div>
  );

  return (
    <>
      <PageHeader
        title={name || d("title")}
        description={c && formatPhone(c.phone)}
        actions={actions}
      />
      {!canWrite && (
        <p className="mb-4 text-sm text-muted-foreground" role="note">
          {d("readOnly")}
        </p>
      )}
      {c && (
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>{d("fields")}</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                <dt className="text-muted-foreground">{d("phone")}</dt>
                <dd className="font-mono tabular-nums">{formatPhone(c.phone)}</dd>
                <dt className="text-muted-foreground">{d("nombre")}</dt>
                <dd>{c.nombre ?? "—"}</dd>
                <dt className="text-muted-foreground">{d("sustantivo")}</dt>
                <dd>{c.sustantivo ?? "—"}</dd>
                <dt className="text-muted-foreground">{d("source")}</dt>
                <dd>
                  <Badge variant="outline">{t(`source.${c.source}`)}</Badge>
                </dd>
                <dt className="text-muted-foreground">{d("createdAt")}</dt>
                <dd>{date(c.createdAt)}</dd>
                <dt className="text-muted-foreground">{d("updatedAt")}</dt>
                <dd>{date(c.updatedAt)}</dd>
              </dl>
              <h3 className="mt-4 mb-2 text-sm font-medium">{d("attributes")}</h3>
              {attributes.length ? (
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                  {attributes.map(([k, v]) => (
                    <div key={k} className="contents">
                      <dt className="font-mono text-xs text-muted-foreground">{k}</dt>
                      <dd className="break-words">{v}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p className="text-sm text-muted-foreground">{d("noAttributes")}</p>
              )}
              <h3 className="mt-4 mb-2 text-sm font-medium">{d("groups")}</h3>
              {c.groups.length ? (
                <ul className="flex flex-wrap gap-1.5" aria-label={d("groups")}>
                  {c.groups.map((g) => (
                    <li key={g.id}>
                      <Badge variant="secondary">{g.name}</Badge>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-muted-foreground">{d("noGroups")}</p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>{d("consent")}</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="space-y-3 text-sm">
              {c.optInSource ? (
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
                  <dt className="text-muted-foreground">{d("optInSource")}</dt>
                  <dd>{c.optInSource}</dd>
                  <dt className="text-muted-foreground">{d("optInAt")}</dt>
                  <dd>{c.optInAt ? date(c.optInAt) : "—"}</dd>
                </dl>
              ) : (
                <p className="text-muted-foreground">{d("noOptIn")}</p>
              )}
              {c.optedOutAt ? (
                <div className="rounded-md border border-destructive/40 bg-destructive/5 p-3">
                  <p className="font-medium">{d("optedOut", { at: date(c.optedOutAt) })}</p>
                  {c.optOutReason && <p>{d("optOutReason", { reason: c.optOutReason })}</p>}
                </div>
              ) : (
                <p>{d("subscribed")}</p>
              )}
            </CardContent>
          </Card>
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>
                <h2>{d("timeline")}</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <ContactTimeline id={id} />
            </CardContent>
          </Card>
        </div>
      )}
      {canWrite && c && (
        <>
          <ContactFormDialog
            open={dialog === "edit"}
            onOpenChange={(open) => !open && setDialog(null)}
            contact={c}
            groupOptions={groups.data ?? []}
            onSaved={refresh}
          />
          <ReasonDialog
            open={dialog === "optOut"}
            onOpenChange={(open) => !open && setDialog(null)}
            title={t("optOut.title", { name })}
            description={t("optOut.body")}
            confirmLabel={t("optOut.confirm")}
            destructive
            pending={optOut.isPending}
            onConfirm={(reason) => optOut.mutate({ id, reason })}
          />
          <ReasonDialog
            open={dialog === "optIn"}
            onOpenChange={(open) => !open && setDialog(null)}
            title={t("optIn.title", { name })}
            description={t("optIn.body")}
            confirmLabel={t("optIn.confirm")}
            pending={optIn.isPending}
            onConfirm={(reason) => optIn.mutate({ id, reason })}
          />
        </>
      )}
    </>
  );
}
