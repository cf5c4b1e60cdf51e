import { statsSummary } from "@/modules/stats/stats.service";
import { API } from "@/server/openapi/operations";
import { statsGet } from "../_lib";

export const GET = statsGet(API.statsSummary, (scope, input) => statsSummary({ ...scope, input }));
