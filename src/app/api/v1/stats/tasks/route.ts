import { statsTasks } from "@/modules/stats/stats-tasks.service";
import { API } from "@/server/openapi/operations";
import { statsGet } from "../_lib";

export const GET = statsGet(API.statsTasks, (scope, input) => statsTasks({ ...scope, input }));
