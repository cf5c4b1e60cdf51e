import {
  Bot,
  Contact,
  LayoutDashboard,
  ListTodo,
  Megaphone,
  ScrollText,
  Settings,
  type LucideIcon,
} from "lucide-react";

export type NavItem = {
  href: string;
  key: "dashboard" | "contacts" | "campaigns" | "bots" | "tasks" | "logs" | "settings";
  icon: LucideIcon;
  adminOnly?: boolean;
};

export const NAV_ITEMS: NavItem[] = [
  { href: "/dashboard", key: "dashboard", icon: LayoutDashboard },
  { href: "/contacts", key: "contacts", icon: Contact },
  { href: "/campaigns", key: "campaigns", icon: Megaphone },
  { href: "/bots", key: "bots", icon: Bot },
  { href: "/tasks", key: "tasks", icon: ListTodo },
  { href: "/logs", key: "logs", icon: ScrollText },
  { href: "/settings", key: "settings", icon: Settings, adminOnly: true },
];
