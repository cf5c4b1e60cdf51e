import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { InvitationActions } from "@/modules/workspaces/components/invitation-actions";
import { previewInvitation } from "@/modules/workspaces/invitations.service";
import { getSession } from "@/server/auth/session";

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("invitations");
  // The token is in this page's URL: never hand it to another site as a referrer.
  return { title: t("pageTitle"), referrer: "no-referrer" };
}

const NOTICES = {
  invalid: "invalid",
  revoked: "revokedNotice",
  expired: "expiredNotice",
  used: "usedNotice",
} as const;

export default async function InvitationPage({ params }: Props) {
  const { token } = await params;
  const session = await getSession();
  // Sign in first, then come straight back here.
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(`/invitations/${token}`)}`);
  const t = await getTranslations("invitations");
  const shell = await getTranslations("shell");
  const format = await getFormatter();
  const preview = await previewInvitation({
    token,
    user: {
      id: session.user.id,
      email: session.user.email ?? null,
      emailVerified: session.user.emailVerified,
    },
  });

  let body;
  if (preview.status === "pending" || preview.status === "accepted") {
    body = (
      <>
        <CardHeader>
          <CardTitle className="text-xl">
            {t("joinTitle", { workspace: preview.workspaceName })}
          </CardTitle>
          <CardDescription>
            {preview.status === "accepted"
              ? t("alreadyAccepted")
              : t("joinBody", { role: shell(`role_${preview.role}`) })}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {preview.status === "pending" && (
            <p className="text-sm text-muted-foreground">
              {t("validUntil", {
                date: format.dateTime(preview.expiresAt, { dateStyle: "long", timeStyle: "short" }),
              })}
            </p>
          )}
          <InvitationActions
            token={token}
            workspaceId={preview.workspaceId}
            workspaceName={preview.workspaceName}
            accepted={preview.status === "accepted"}
          />
        </CardContent>
      </>
    );
  } else if (preview.status === "wrong_account") {
    body = (
      <>
        <CardHeader>
          <CardTitle className="text-xl">{t("pageTitle")}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <p className="rounded-md bg-muted p-3 text-sm" role="status">
            {t("wrongAccount", { email: session.user.email ?? "" })}
          </p>
          <form method="post" action="/api/auth/federated-logout">
            <Button type="submit" variant="outline" className="w-full">
              {t("signOut")}
            </Button>
          </form>
        </CardContent>
      </>
    );
  } else {
    body = (
      <>
        <CardHeader>
          <CardTitle className="text-xl">{t("pageTitle")}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <p className="rounded-md bg-muted p-3 text-sm" role="status">
            {t(NOTICES[preview.status])}
          </p>
          <Button asChild variant="outline" className="w-full">
            <Link href="/dashboard">{t("home")}</Link>
          </Button>
        </CardContent>
      </>
    );
  }
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <Card className="w-full max-w-md">{body}</Card>
    </main>
  );
}
