"use client";

import {
  ArcElement,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useMemo, useSyncExternalStore } from "react";

ChartJS.register(
  ArcElement,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
);

export type ChartColors = {
  text: string;
  grid: string;
  sent: string;
  delivered: string;
  read: string;
  failed: string;
  series: string[];
};

const FALLBACK: ChartColors = {
  text: "#737373",
  grid: "#e5e5e5",
  sent: "#2563eb",
  delivered: "#0d9488",
  read: "#16a34a",
  failed: "#dc2626",
  series: ["#2563eb", "#0d9488", "#f59e0b", "#9333ea", "#e11d48", "#64748b"],
};

function read(name: string, fallback: string) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function readColors(): ChartColors {
  return {
    text: read("--muted-foreground", FALLBACK.text),
    grid: read("--border", FALLBACK.grid),
    sent: read("--chart-1", FALLBACK.sent),
    delivered: read("--chart-2", FALLBACK.delivered),
    read: read("--chart-4", FALLBACK.read),
    failed: read("--destructive", FALLBACK.failed),
    series: ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5"].map((v, i) =>
      read(v, FALLBACK.series[i]!),
    ),
  };
}

/** The root element's class list: next-themes switches `dark` there. */
function subscribeToTheme(onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["class", "style"],
  });
  return () => observer.disconnect();
}

/** Chart colours from the theme's CSS variables, read again whenever the theme changes. */
export function useChartColors(): ChartColors {
  const theme = useSyncExternalStore(
    subscribeToTheme,
    () => document.documentElement.className,
    () => "",
  );
  return useMemo(
    () => (theme === "" && typeof document === "undefined" ? FALLBACK : readColors()),
    [theme],
  );
}

/** Axis and legend colours shared by every chart. */
export function baseOptions(colors: ChartColors) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: { legend: { labels: { color: colors.text } } },
    scales: {
      x: { ticks: { color: colors.text }, grid: { color: colors.grid } },
      y: {
        beginAtZero: true,
        ticks: { color: colors.text, precision: 0 },
        grid: { color: colors.grid },
      },
    },
  };
}

/** What a canvas says without its pixels (screen readers, tests): its series or slices. */
export function legendText(labels: readonly string[]) {
  return labels.join(", ");
}
