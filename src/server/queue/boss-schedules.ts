import { getBoss } from "./boss";

const PAGE = 1000;

/** Every pg-boss schedule of a queue, page by page (pg-boss caps one read). */
export async function allBossSchedules(name: string) {
  const boss = await getBoss();
  const all = [];
  for (let after: { name: string; key: string } | undefined; ;) {
    const page = await boss.getSchedules(name, undefined, { limit: PAGE, after });
    all.push(...page);
    if (page.length < PAGE) return all;
    after = { name: page.at(-1)!.name, key: page.at(-1)!.key };
  }
}
