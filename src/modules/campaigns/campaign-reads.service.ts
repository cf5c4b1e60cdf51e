/** Reads behind the campaign page: recipients, recent failures, next runs, template preview. */
import { AppError } from "@/lib/errors";
import { getContact } from "@/modules/contacts/contacts.service";
import { cronProblem, nextRuns as cronNextRuns } from "@/modules/schedules/cron-preview";
import type { Tx } from "@/server/db/tenant";
import type { CampaignTemplate } from "./campaign-definition";
import type { ListRecipientsInput, RecipientView } from "./campaigns.schema";
import { findRecentFailures, findRecipientsPage } from "./campaigns.queries";
import type { CampaignRecipient } from "./campaigns.table";
import { requireCampaign, templateTexts } from "./campaigns.service";
import { renderTemplate } from "./template-render";

export function toRecipientView(r: CampaignRecipient): RecipientView {
  return {
    id: r.id,
    contactId: r.contactId,
    phone: r.phone,
    nombre: r.nombre,
    groupName: r.groupName,
    botId: r.botId,
    templateIndex: r.templateIndex,
    status: r.status,
    errorCode: r.errorCode,
    attempts: r.attempts,
    providerMessageId: r.providerMessageId,
    sentAt: r.sentAt,
    deliveredAt: r.deliveredAt,
    readAt: r.readAt,
    updatedAt: r.updatedAt,
  };
}

export async function listRecipients({
  tx,
  workspaceId,
  input,
}: {
  tx: Tx;
  workspaceId: string;
  input: ListRecipientsInput;
}) {
  await requireCampaign(tx, workspaceId, input.campaignId);
  const { rows, hasMore } = await findRecipientsPage(tx, workspaceId, input);
  return { rows: rows.map(toRecipientView), hasMore };
}

/** A template rendered for one contact: the text, or the variables it lacks. */
export async function previewTemplate({
  tx,
  workspaceId,
  template,
  contactId,
}: {
  tx: Tx;
  workspaceId: string;
  template: CampaignTemplate;
  contactId?: string;
}) {
  const contact = contactId
    ? await getContact({ tx, workspaceId, id: contactId })
    : { nombre: "Ana", sustantivo: "Sra.", attributes: {} as Record<string, string> };
  const parts = templateTexts(template).map((t) => renderTemplate(t, contact));
  const missing = [...new Set(parts.flatMap((p) => (p.ok ? [] : p.missing)))];
  if (missing.length) return { ok: false as const, missing };
  const texts = parts.map((p) => (p.ok ? p.text : ""));
  return { ok: true as const, text: template.kind === "text" ? texts[0]! : texts.join(" · ") };
}

export async function campaignActivity({
  workspace,
  id,
  tenant,
}: {
  workspace: { id: string; timeZone: string };
  id: string;
  tenant: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
}) {
  const { campaign, failures } = await tenant(async (tx) => ({
    campaign: await requireCampaign(tx, workspace.id, id),
    failures: await findRecentFailures(tx, workspace.id, id, 10),
  }));
  let nextRuns: Date[] = [];
  if (campaign.schedule.type === "cron" && campaign.status === "scheduled") {
    // The runs that will really fire, in the zone pg-boss holds the schedule in (the
    // workspace's, re-installed when it changes): no repeated autumn wall time, no instant of
    // a spring DST gap pg-boss never reaches (schedules/cron-preview.ts).
    if (cronProblem(campaign.schedule.cron))
      throw new AppError("BAD_REQUEST", "campaign.cronInvalid");
    nextRuns = cronNextRuns(campaign.schedule.cron, workspace.timeZone, new Date(), 5);
  }
  return { failures, nextRuns };
}
