"use client";

import { Menu } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import type { NavItem } from "./nav-items";
import { NavLinks } from "./nav-links";

/** Small screens: a menu button that opens every section in a sheet; a link closes it. */
export function MobileNav({ items }: { items: NavItem[] }) {
  const t = useTranslations("shell");
  const common = useTranslations("common");
  const [open, setOpen] = useState(false);
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label={t("openMenu")}>
          <Menu aria-hidden />
        </Button>
      </SheetTrigger>
      <SheetContent
        closeLabel={common("close")}
        aria-describedby={undefined}
        className="bg-sidebar text-sidebar-foreground"
      >
        <SheetTitle className="flex h-14 items-center px-4">{common("appName")}</SheetTitle>
        <NavLinks items={items} onNavigate={() => setOpen(false)} />
      </SheetContent>
    </Sheet>
  );
}
