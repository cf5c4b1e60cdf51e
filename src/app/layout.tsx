import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "SalesTrack", template: "%s · SalesTrack" },
  description: "Outbound messaging campaigns and bot orchestration",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  // The CSP nonce of this response (set by the HTTP server): inline scripts we add need it.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang={locale} suppressHydrationWarning>
      <body className="min-h-screen bg-background text-foreground antialiased">
        <NextIntlClientProvider>
          <Providers nonce={nonce}>{children}</Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
