import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { callbackPath } from "@/server/auth/callback-path";
import { getSession } from "@/server/auth/session";
import { SignInButton } from "./sign-in-button";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("pageTitle") };
}

type Props = {
  searchParams: Promise<{ signedOut?: string; error?: string; callbackUrl?: string }>;
};

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  // Same-site paths only (see callbackPath: `//host`, `/\host`, `/\t/host` lead elsewhere).
  const callbackUrl = callbackPath(params.callbackUrl);
  // Already signed in (e.g. following an invitation link): go where the link pointed.
  if (await getSession()) redirect(callbackUrl);
  const t = await getTranslations("auth");
  const notice = params.signedOut
    ? t("signedOut")
    : params.error === "SessionEnded"
      ? t("sessionEnded")
      : null;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle className="text-xl">
            <h1>{t("title")}</h1>
          </CardTitle>
          <CardDescription>{t("subtitle")}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {notice && (
            <p className="rounded-md bg-muted p-3 text-sm" role="status">
              {notice}
            </p>
          )}
          {params.error && params.error !== "SessionEnded" && (
            <p className="rounded-md bg-destructive/10 p-3 text-sm text-destructive" role="alert">
              {t("error", { code: params.error.slice(0, 40) })}
            </p>
          )}
          <SignInButton
            callbackUrl={callbackUrl}
            label={t("signIn")}
            pendingLabel={t("signingIn")}
          />
        </CardContent>
      </Card>
    </main>
  );
}
