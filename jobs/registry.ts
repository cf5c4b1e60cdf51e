import { cleanupAuthSessions } from "./auth/cleanup-sessions.job";
import { fireCampaignSchedule } from "./campaigns/fire-schedule.job";
import { campaignMaintenance } from "./campaigns/maintenance.job";
import { materializeCampaign } from "./campaigns/materialize.job";
import { sendCampaignBatch } from "./campaigns/send.job";
import { applySandboxReceipts } from "./campaigns/status-updates.job";
import { importContacts } from "./contacts/import.job";
import { bulkContactsByFilter } from "./contacts/bulk.job";
import { purgeImportUploads } from "./maintenance/purge-import-uploads.job";
import { applyRetention } from "./maintenance/retention.job";
import { sweepTaskLeases } from "./tasks/lease-sweep.job";
import { tasksMaintenance } from "./tasks/maintenance.job";
import { foldStats } from "./stats/fold.job";
import { fireSchedule } from "./schedules/fire.job";
import { reconcileSchedules } from "./schedules/reconcile.job";
import type { AnyJobDefinition } from "./define";

/**
 * Every queue of the app, one contract each. Every process creates or updates all of them
 * at start (src/server/queue/boss.ts); workers run them (worker.ts). Contracts import no
 * service at load time, so importing this list never pulls in application code.
 */
export const JOBS: readonly AnyJobDefinition[] = [
  cleanupAuthSessions,
  importContacts,
  bulkContactsByFilter,
  materializeCampaign,
  sendCampaignBatch,
  applySandboxReceipts,
  fireCampaignSchedule,
  campaignMaintenance,
  purgeImportUploads,
  applyRetention,
  sweepTaskLeases,
  tasksMaintenance,
  foldStats,
  fireSchedule,
  reconcileSchedules,
];
