import { campaignControlRoute } from "../../_lib/control";

export const POST = campaignControlRoute("pauseCampaign");
