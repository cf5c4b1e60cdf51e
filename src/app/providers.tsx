"use client";

import { ThemeProvider } from "next-themes";
import type { ReactNode } from "react";
import { Toaster } from "@/components/ui/sonner";
import { TRPCReactProvider } from "@/lib/trpc/client";
import { ZodErrorMessages } from "@/lib/zod-error-messages";

export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  return (
    <ThemeProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      // Its inline script sets the theme class before paint; the CSP lets it run by nonce.
      nonce={nonce}
    >
      <ZodErrorMessages />
      <TRPCReactProvider>{children}</TRPCReactProvider>
      <Toaster richColors closeButton />
    </ThemeProvider>
  );
}
