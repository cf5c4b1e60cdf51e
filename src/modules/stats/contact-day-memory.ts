/**
 * A workspace's contact-days held in a process's memory, column by column, to rank the top
 * contacts of any custom period without summing its contact-days in Postgres (~100 ms at
 * 10M events for 30 days; a few ms here). Only days two or more days back (`closedTo`) are
 * held: newer days still change with every fold and are read from the database per view
 * (`LiveDay`). A fold that changes an older day moves the workspace's generation
 * (`stats_fold.closed_gen`) and the holder of another generation is dropped.
 *
 * A contact's ranking follows `contactPeriodPage`: summed sent or failed, or latest `last_at`,
 * descending, ties by contact id (as Postgres orders uuids: their lowercase text); with a
 * group, only the contacts whose latest day in the period is in that group.
 */

/** Local days are counted from 2000-01-01 (Postgres: `day - date '2000-01-01'`). */
const EPOCH_DAY = Date.UTC(2000, 0, 1) / 86_400_000;

export function dayNumber(day: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000 - EPOCH_DAY;
}

export type ContactSort = "sent" | "failed" | "lastAt";

/**
 * One day's contact rows as text: `contact,sent,failed,group,lastAtMicros` joined by `;`
 * (what `loadClosedDays` and `readLiveDays` return per day).
 */
export type PackedDay = { day: number; rows: string };

/** Strings numbered densely in the order first seen. */
class Dictionary {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  number(id: string): number {
    let n = this.index.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.ids.push(id);
      this.index.set(id, n);
    }
    return n;
  }
  find(id: string): number | undefined {
    return this.index.get(id);
  }
}

type DayColumns = {
  contact: Int32Array;
  sent: Int32Array;
  failed: Int32Array;
  group: Int32Array;
  /** Microseconds since 1970, exact in a double until the year 2255. */
  lastAt: Float64Array;
};

export class ContactDayMemory {
  private readonly contacts = new Dictionary();
  private readonly groups = new Dictionary();
  private readonly days = new Map<number, DayColumns>();
  /** Contact-days held. */
  size = 0;

  /**
   * @param gen the workspace's `closed_gen` the days were read under
   * @param closedTo the last day held (every day up to it is held, or had no rows)
   */
  constructor(
    readonly gen: string,
    public closedTo: number,
  ) {}

  /** Adds (or replaces) a day; it counts once `closedTo` reaches it. */
  addDay({ day, rows }: PackedDay) {
    const parsed = this.parse(rows);
    this.size += parsed.contact.length - (this.days.get(day)?.contact.length ?? 0);
    this.days.set(day, parsed);
  }

  private parse(rows: string): DayColumns {
    const items = rows === "" ? [] : rows.split(";");
    const cols: DayColumns = {
      contact: new Int32Array(items.length),
      sent: new Int32Array(items.length),
      failed: new Int32Array(items.length),
      group: new Int32Array(items.length),
      lastAt: new Float64Array(items.length),
    };
    items.forEach((item, i) => {
      const [contact, sent, failed, group, lastAt] = item.split(",") as [
        string,
        string,
        string,
        string,
        string,
      ];
      cols.contact[i] = this.contacts.number(contact);
      cols.sent[i] = Number(sent);
      cols.failed[i] = Number(failed);
      cols.group[i] = this.groups.number(group);
      cols.lastAt[i] = Number(lastAt);
    });
    return cols;
  }

  /**
   * Ranks the contacts of local days `from`..`to`: the held days up to `closedTo` and `live`,
   * the days after it (ascending; their rows in the same text form). Returns the ids of the
   * page `offset`..`offset + limit` in order and how many contacts the period (and group) has.
   */
  rank({
    from,
    to,
    sort,
    groupId,
    live,
    limit,
    offset,
  }: {
    from: number;
    to: number;
    sort: ContactSort;
    groupId?: string;
    live: PackedDay[];
    limit: number;
    offset: number;
  }): { ids: string[]; total: number } {
    const liveDays = live.map((d) => ({ day: d.day, cols: this.parse(d.rows) }));
    const n = this.contacts.ids.length;
    const key = new Float64Array(n);
    const group = new Int32Array(n).fill(-1);
    const seen: number[] = [];
    const add = (cols: DayColumns) => {
      const values = sort === "sent" ? cols.sent : sort === "failed" ? cols.failed : cols.lastAt;
      for (let i = 0; i < cols.contact.length; i++) {
        const c = cols.contact[i]!;
        const v = values[i]!;
        if (group[c] === -1) {
          seen.push(c);
          key[c] = v;
        } else key[c] = sort === "lastAt" ? Math.max(key[c]!, v) : key[c]! + v;
        group[c] = cols.group[i]!; // days are added in order: the latest day's group stays
      }
    };
    for (let day = from; day <= Math.min(to, this.closedTo); day++) {
      const cols = this.days.get(day);
      if (cols) add(cols);
    }
    for (const d of liveDays)
      if (d.day > this.closedTo && d.day >= from && d.day <= to) add(d.cols);

    const wanted = groupId === undefined ? undefined : (this.groups.find(groupId) ?? -2);
    const ranked = wanted === undefined ? seen : seen.filter((c) => group[c] === wanted);
    const ids = this.contacts.ids;
    const before = (a: number, b: number) =>
      key[a] !== key[b] ? key[a]! > key[b]! : ids[a]! < ids[b]!;
    const page = topOf(ranked, offset + limit, before).slice(offset);
    return { ids: page.map((c) => ids[c]!), total: ranked.length };
  }
}

/**
 * The first `k` items in `before` order: a bounded heap (the worst of the best at its root),
 * so a first page costs one pass over the period's contacts and not a sort of them all.
 */
export function topOf(items: number[], k: number, before: (a: number, b: number) => boolean) {
  if (k >= items.length) return [...items].sort((a, b) => (before(a, b) ? -1 : 1));
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && before(heap[worst]!, heap[l]!)) worst = l;
      if (r < heap.length && before(heap[worst]!, heap[r]!)) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst]!, heap[i]!];
      i = worst;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!before(heap[parent]!, heap[i]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (k > 0 && before(item, heap[0]!)) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : 1));
}
