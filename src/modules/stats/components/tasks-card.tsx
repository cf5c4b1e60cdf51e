import { useTranslations } from "next-intl";
import { ChartCard, PanelEmpty } from "./chart-card";

/**
 * Tasks by status, success rate and duration by action: the tasks module (issue 10) has no
 * aggregate read for these yet, so the panel says so instead of scanning tasks here.
 */
export function TasksCard() {
  const t = useTranslations("stats");
  return (
    <ChartCard
      title={t("tasks.title")}
      description={t("tasks.body")}
      loading={false}
      testId="chart-tasks"
    >
      <PanelEmpty text={t("tasks.empty")} />
    </ChartCard>
  );
}
