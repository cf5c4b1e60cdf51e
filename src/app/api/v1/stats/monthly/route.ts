import { statsMonthly } from "@/modules/stats/stats.service";
import { API } from "@/server/openapi/operations";
import { statsGet } from "../_lib";

export const GET = statsGet(API.statsMonthly, (scope, input) =>
  statsMonthly({ ...scope, months: input.months }),
);
