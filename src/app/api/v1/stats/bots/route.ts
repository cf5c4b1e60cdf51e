import { statsByBot } from "@/modules/stats/stats.service";
import { API } from "@/server/openapi/operations";
import { statsGet } from "../_lib";

export const GET = statsGet(API.statsByBot, (scope, input) =>
  statsByBot({ ...scope, hours: input.hours }),
);
