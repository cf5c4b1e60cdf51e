import { z } from "zod";
import { statsCurrentMonth } from "@/modules/stats/stats.service";
import { API } from "@/server/openapi/operations";
import { statsGet } from "../_lib";

export const GET = statsGet({ ...API.statsCurrentMonth, query: z.object({}) }, (scope) =>
  statsCurrentMonth(scope),
);
