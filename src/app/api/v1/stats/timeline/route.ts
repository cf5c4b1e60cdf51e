import { statsTimeline } from "@/modules/stats/stats.service";
import { API } from "@/server/openapi/operations";
import { statsGet } from "../_lib";

export const GET = statsGet(API.statsTimeline, (scope, input) =>
  statsTimeline({ ...scope, input }),
);
