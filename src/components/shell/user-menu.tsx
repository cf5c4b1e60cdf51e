"use client";

import { setPreferenceCookie } from "@/lib/browser-cookie";
import { Languages, LogOut, Monitor, Moon, Sun } from "lucide-react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useTheme } from "next-themes";
import { useRef } from "react";
import { Avatar, AvatarFallback } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { LOCALE_COOKIE } from "@/i18n/locales";

function initials(name: string) {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((p) => p[0]?.toUpperCase())
      .join("") || "?"
  );
}

export function UserMenu({ user }: { user: { name: string; email: string } }) {
  const t = useTranslations("shell");
  const tAuth = useTranslations("auth");
  const locale = useLocale();
  const router = useRouter();
  const { theme, setTheme } = useTheme();
  const signOutForm = useRef<HTMLFormElement>(null);

  const setLocale = (next: string) => {
    setPreferenceCookie(LOCALE_COOKIE, next);
    router.refresh();
  };

  return (
    <>
      <form
        ref={signOutForm}
        method="post"
        action="/api/auth/federated-logout"
        className="hidden"
      />
      <DropdownMenu>
        {/* Named by its text, not aria-label: the spoken name holds what is seen. */}
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" className="gap-2 px-2 sm:px-3">
            <Avatar className="size-7" aria-hidden>
              <AvatarFallback>{initials(user.name)}</AvatarFallback>
            </Avatar>
            <span className="sr-only">{t("userMenu")}:</span>
            <span className="sr-only max-w-40 truncate text-sm sm:not-sr-only">{user.name}</span>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-60">
          <DropdownMenuLabel className="font-normal">
            <div className="truncate font-medium">{user.name}</div>
            <div className="truncate text-xs text-muted-foreground">{user.email}</div>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuLabel className="flex items-center gap-2 text-xs text-muted-foreground">
            <Languages className="size-3.5" aria-hidden /> {t("language")}
          </DropdownMenuLabel>
          <DropdownMenuRadioGroup value={locale} onValueChange={setLocale}>
            <DropdownMenuRadioItem value="es">Español</DropdownMenuRadioItem>
            <DropdownMenuRadioItem value="en">English</DropdownMenuRadioItem>
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          <DropdownMenuLabel className="text-xs text-muted-foreground">
            {t("theme")}
          </DropdownMenuLabel>
          <DropdownMenuRadioGroup value={theme ?? "system"} onValueChange={setTheme}>
            <DropdownMenuRadioItem value="light">
              <Sun className="size-4" aria-hidden /> {t("themeLight")}
            </DropdownMenuRadioItem>
            <DropdownMenuRadioItem value="dark">
              <Moon className="size-4" aria-hidden /> {t("themeDark")}
            </DropdownMenuRadioItem>
            <DropdownMenuRadioItem value="system">
              <Monitor className="size-4" aria-hidden /> {t("themeSystem")}
            </DropdownMenuRadioItem>
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => signOutForm.current?.requestSubmit()}>
            <LogOut className="size-4" aria-hidden /> {tAuth("signOut")}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
