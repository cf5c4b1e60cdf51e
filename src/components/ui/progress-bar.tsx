import { cn } from "@/lib/utils";

/** A labelled progress bar; `value` 0..100, undefined = indeterminate (e.g. queued). */
export function ProgressBar({
  value,
  label,
  valueText,
  className,
}: {
  value: number | undefined;
  label: string;
  valueText?: string;
  className?: string;
}) {
  const pct = value === undefined ? undefined : Math.min(100, Math.max(0, value));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct === undefined ? undefined : Math.round(pct)}
      aria-valuetext={valueText}
      className={cn("h-2 w-full overflow-hidden rounded-full bg-muted", className)}
    >
      <div
        className={cn(
          "h-full rounded-full bg-primary transition-[width] duration-500 motion-reduce:transition-none",
          pct === undefined && "w-1/3 animate-pulse",
        )}
        style={pct === undefined ? undefined : { width: `${pct}%` }}
      />
    </div>
  );
}
