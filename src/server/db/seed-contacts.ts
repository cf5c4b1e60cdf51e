import { contactGroupMembers, contactGroups, contacts } from "@/modules/contacts/contacts.table";
import { DEMO_FIRST_NAMES, DEMO_LAST_NAMES } from "./demo-names";
import type { Tx } from "./tenant";

// The first names alternate women's and men's names; the salutation follows.
const TITLES = { f: ["Sra.", "Dra.", "Lic.", "Ing."], m: ["Sr.", "Dr.", "Lic.", "Ing."] };
const CITIES = ["Asunción", "Luque", "San Lorenzo", "Encarnación", "Ciudad del Este"];
const GROUPS = ["Clientes", "VIP", "Leads Feria 2026"];

/** Demo contacts for the demo workspace: 48 Paraguayan numbers in three groups, one opted out. */
export async function seedDemoContacts(tx: Tx, workspaceId: string) {
  const groups = await tx
    .insert(contactGroups)
    .values(GROUPS.map((name) => ({ workspaceId, name })))
    .returning({ id: contactGroups.id, name: contactGroups.name });
  const rows = Array.from({ length: 48 }, (_, i) => ({
    workspaceId,
    phone: `+59598${1 + (i % 6)}${String(120000 + i * 7919).slice(-6)}`,
    nombre: `${DEMO_FIRST_NAMES[i % DEMO_FIRST_NAMES.length]} ${DEMO_LAST_NAMES[(i * 7) % DEMO_LAST_NAMES.length]}`,
    sustantivo: TITLES[i % 2 === 0 ? "f" : "m"][Math.floor(i / 2) % 4]!,
    attributes: { ciudad: CITIES[i % CITIES.length]! },
    source: i % 3 === 0 ? ("manual" as const) : ("csv" as const),
    optInSource: i % 3 === 0 ? "manual" : "csv:demo-clientes.csv",
    optInAt: new Date(),
    optedOutAt: i === 7 ? new Date() : null,
    optOutReason: i === 7 ? "Respondió BAJA" : null,
  }));
  const inserted = await tx.insert(contacts).values(rows).returning({ id: contacts.id });
  const members = inserted.flatMap((c, i) => {
    const picks = [
      groups[0]!,
      ...(i % 4 === 0 ? [groups[1]!] : []),
      ...(i % 5 === 0 ? [groups[2]!] : []),
    ];
    return picks.map((g) => ({ workspaceId, groupId: g.id, contactId: c.id }));
  });
  await tx.insert(contactGroupMembers).values(members);
  return {
    groupIds: new Map(groups.map((g) => [g.name, g.id])),
    optedOutPhones: rows.filter((r) => r.optedOutAt).map((r) => r.phone),
  };
}
