"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Rocket, Save } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm, useWatch, type FieldPath } from "react-hook-form";
import { toast } from "sonner";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { CampaignDefinitionInput, CampaignView } from "../campaigns.schema";
import { BuilderAudience } from "./builder-audience";
import { BuilderBots } from "./builder-bots";
import { FieldError, useDebounced } from "./builder-fields";
import { BuilderCooloff, BuilderSchedule } from "./builder-schedule";
import { BuilderSummary } from "./builder-summary";
import { BuilderTemplates } from "./builder-templates";
import {
  builderFieldOf,
  builderSchema,
  toBuilderValues,
  toCampaignInput,
  toDefinition,
  type BuilderValues,
} from "./builder-values";
import { LaunchDialog } from "./launch-dialog";

/** /campaigns/new (no id) or /campaigns/[id]/edit: loads the draft, then the builder. */
export function CampaignBuilderPage({ id }: { id?: string }) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("campaigns");
  const trpc = useTRPC();
  const campaign = useQuery({
    ...trpc.campaigns.get.queryOptions({ id: id ?? "" }),
    enabled: !!id,
  });
  const header = (
    <PageHeader
      title={id ? t("builder.editTitle") : t("builder.newTitle")}
      description={t("builder.description")}
      actions={
        <Button variant="ghost" asChild>
          <Link href={id ? `/campaigns/${id}` : "/campaigns"}>
            <ArrowLeft aria-hidden />
            {id ? t("builder.openCampaign") : t("detail.back")}
          </Link>
        </Button>
      }
    />
  );
  if (!id) {
    return (
      <>
        {header}
        <CampaignBuilder campaign={null} />
      </>
    );
  }
  if (campaign.isError) {
    return (
      <>
        {header}
        <EmptyState title={t("detail.notFound")} description={errorMessage(campaign.error)} />
      </>
    );
  }
  if (!campaign.data) {
    return (
      <>
        {header}
        <Skeleton className="h-96 w-full" />
      </>
    );
  }
  if (campaign.data.status !== "draft") {
    return (
      <>
        {header}
        <EmptyState
          title={t("builder.notDraft", {
            status: t(`status.${campaign.data.status}`).toLowerCase(),
          })}
          action={
            <Button asChild>
              <Link href={`/campaigns/${id}`}>{t("builder.openCampaign")}</Link>
            </Button>
          }
        />
      </>
    );
  }
  return (
    <>
      {header}
      <CampaignBuilder campaign={campaign.data} />
    </>
  );
}

function CampaignBuilder({ campaign }: { campaign: CampaignView | null }) {
  const { errorMessage, fieldErrorKeysOf } = useErrorMessage();
  const t = useTranslations("campaigns");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const access = useQuery(trpc.workspaces.current.queryOptions());
  const workspace = access.data?.workspace;
  const [savedId, setSavedId] = useState(campaign?.id ?? null);
  const [launching, setLaunching] = useState<BuilderValues | null>(null);
  const form = useForm<BuilderValues>({
    resolver: zodResolver(builderSchema),
    defaultValues: toBuilderValues(campaign),
  });

  // The summary follows the form, a moment after typing stops.
  const values = useWatch({ control: form.control }) as BuilderValues;
  const definitionKey = useDebounced(JSON.stringify(toDefinition(values)), 500);
  const definition = JSON.parse(definitionKey) as CampaignDefinitionInput | null;

  const onServerError = (err: unknown) => {
    let mapped = false;
    for (const [path, messages] of Object.entries(fieldErrorKeysOf(err))) {
      const target = messages[0] ? builderFieldOf(path, messages[0]) : null;
      if (!target) continue;
      form.setError(target.path as FieldPath<BuilderValues>, { message: target.message });
      mapped = true;
    }
    toast.error(mapped ? t("builder.fixErrors") : errorMessage(err));
  };
  const create = useMutation(trpc.campaigns.create.mutationOptions());
  const update = useMutation(trpc.campaigns.update.mutationOptions());
  const launch = useMutation(trpc.campaigns.launch.mutationOptions());
  const pending = create.isPending || update.isPending || launch.isPending;

  /** Creates the draft (once) or updates it; the id, or null when the server refused. */
  const save = async (v: BuilderValues): Promise<string | null> => {
    const input = toCampaignInput(v);
    try {
      const saved = savedId
        ? await update.mutateAsync({ ...input, id: savedId })
        : await create.mutateAsync(input);
      setSavedId(saved.id);
      void queryClient.invalidateQueries({ queryKey: trpc.campaigns.pathKey() });
      return saved.id;
    } catch (err) {
      onServerError(err);
      return null;
    }
  };
  const saveDraft = async (v: BuilderValues) => {
    const id = await save(v);
    if (!id) return;
    toast.success(t("builder.saved"));
    router.push(`/campaigns/${id}`);
  };
  const confirmLaunch = async () => {
    const v = launching;
    setLaunching(null);
    if (!v) return;
    const id = await save(v);
    if (!id) return;
    try {
      const launched = await launch.mutateAsync({ id });
      toast.success(
        launched.status === "scheduled" ? t("actions.scheduled") : t("actions.launched"),
      );
      void queryClient.invalidateQueries({ queryKey: trpc.campaigns.pathKey() });
      router.push(`/campaigns/${id}`);
    } catch (err) {
      onServerError(err);
    }
  };
  const invalid = () => toast.error(t("builder.fixErrors"));
  const scheduled = values.scheduleType !== "now";

  return (
    <form noValidate onSubmit={form.handleSubmit((v) => setLaunching(v), invalid)}>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem] lg:items-start">
        <div className="flex min-w-0 flex-col gap-4">
          <Card className="gap-4">
            <CardContent className="grid gap-2">
              <Label htmlFor="builder-name-input" className="text-base font-semibold">
                {t("builder.name")}
              </Label>
              <Input
                id="builder-name-input"
                placeholder={t("builder.namePlaceholder")}
                maxLength={120}
                autoComplete="off"
                aria-invalid={!!form.formState.errors.name}
                aria-describedby="builder-name-error"
                {...form.register("name")}
              />
              <FieldError id="builder-name-error" message={form.formState.errors.name?.message} />
            </CardContent>
          </Card>
          <BuilderAudience form={form} />
          <BuilderTemplates form={form} />
          <BuilderBots form={form} />
          <BuilderSchedule form={form} timeZone={workspace?.timeZone ?? ""} />
          <BuilderCooloff form={form} workspaceDays={workspace?.cooloffDays ?? 7} />
        </div>
        <div className="lg:sticky lg:top-4">
          <BuilderSummary definition={definition}>
            <Button
              type="button"
              variant="outline"
              disabled={pending}
              onClick={form.handleSubmit(saveDraft, invalid)}
            >
              <Save aria-hidden />
              {t("builder.saveDraft")}
            </Button>
            <Button type="submit" disabled={pending}>
              <Rocket aria-hidden />
              {scheduled ? t("builder.launchAt") : t("builder.launch")}
            </Button>
          </BuilderSummary>
        </div>
      </div>
      {launching && (
        <LaunchDialog
          campaign={{ ...toCampaignInput(launching) }}
          pending={pending}
          onOpenChange={(open) => !open && setLaunching(null)}
          onConfirm={() => void confirmLaunch()}
        />
      )}
    </form>
  );
}
