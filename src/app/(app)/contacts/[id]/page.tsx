import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ContactDetail } from "@/modules/contacts/components/contact-detail";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("contacts.detail");
  return { title: t("title") };
}

/** One contact: fields, consent and history (a click on a row of the list). */
export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = z.uuid().safeParse((await params).id);
  if (!parsed.success) notFound();
  const { current } = await getCurrentAccess();
  const canWrite = !!current && can(current.role, "contacts:write");
  return <ContactDetail key={parsed.data} id={parsed.data} canWrite={canWrite} />;
}
