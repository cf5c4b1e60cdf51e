"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { BotDetailView } from "../bots.schema";

/** Sends and failures on each of the last days, as a table with a bar per day. */
export function BotWeek({ days }: { days: BotDetailView["lastDays"] }) {
  const t = useTranslations("bots.detail");
  const format = useFormatter();
  const peak = Math.max(1, ...days.map((d) => d.sent + d.failed));
  const total = days.reduce((a, d) => ({ sent: a.sent + d.sent, failed: a.failed + d.failed }), {
    sent: 0,
    failed: 0,
  });
  // Local days arrive as YYYY-MM-DD: shown at noon UTC so no zone moves them to another date.
  const label = (day: string) =>
    format.dateTime(new Date(`${day}T12:00:00Z`), {
      weekday: "short",
      day: "numeric",
      month: "short",
      timeZone: "UTC",
    });
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>{t("weekTitle")}</h2>
        </CardTitle>
        <CardDescription>
          {t("weekTotal", { sent: total.sent, failed: total.failed })}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Table aria-label={t("weekTitle")}>
          <TableHeader>
            <TableRow>
              <TableHead>{t("day")}</TableHead>
              <TableHead className="text-right">{t("sent")}</TableHead>
              <TableHead className="text-right">{t("failed")}</TableHead>
              <TableHead className="w-1/3">
                <span className="sr-only">{t("bar")}</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {days.map((d) => (
              <TableRow key={d.day}>
                <TableCell className="whitespace-nowrap">{label(d.day)}</TableCell>
                <TableCell className="text-right tabular-nums">{format.number(d.sent)}</TableCell>
                <TableCell className="text-right tabular-nums">{format.number(d.failed)}</TableCell>
                <TableCell aria-hidden>
                  <div className="flex h-2 overflow-hidden rounded-full bg-muted">
                    <div className="bg-success" style={{ width: `${(d.sent / peak) * 100}%` }} />
                    <div
                      className="bg-destructive"
                      style={{ width: `${(d.failed / peak) * 100}%` }}
                    />
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
