/**
 * Each rep's assigned value against its fairness band (fair share ± the value band), on a canvas:
 * a grey bar for the band, a tick for the fair share, a dot for the value (red outside the band).
 */
import { useEffect, useRef } from "preact/hooks";
import type { Plan } from "./contract.ts";
import type { RepLoad } from "./rep-load.ts";

export function bandOf(fairShare: number | null, band: number | undefined): [number, number] | null {
  if (fairShare === null || band === undefined) return null;
  return [fairShare * (1 - band), fairShare * (1 + band)];
}

/** `reps`: the solve's, or an evaluation's after the planner's changes. */
export function BandChart(props: { plan: Plan; reps: readonly RepLoad[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const band = props.plan.policy?.fairness?.valueBand;
  const reps = props.reps;
  const outside = reps.filter((rep) => {
    const range = bandOf(rep.fairShare, band);
    return range !== null && (rep.value < range[0] - 1e-6 || rep.value > range[1] + 1e-6);
  }).length;

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext("2d");
    if (element === null || context === null || context === undefined) return;
    const width = element.width;
    const height = element.height;
    context.clearRect(0, 0, width, height);
    let top = 0;
    for (const rep of reps) top = Math.max(top, rep.value, (bandOf(rep.fairShare, band) ?? [0, rep.fairShare ?? 0])[1]);
    if (top <= 0 || reps.length === 0) return;
    const y = (v: number) => height - 10 - (v / top) * (height - 20);
    const step = width / reps.length;
    reps.forEach((rep, index) => {
      const x = index * step + step / 2;
      const range = bandOf(rep.fairShare, band);
      if (range !== null) {
        context.fillStyle = "#d9dde3";
        context.fillRect(x - Math.max(1, step * 0.3), y(range[1]), Math.max(2, step * 0.6), y(range[0]) - y(range[1]));
      }
      if (rep.fairShare !== null) {
        context.fillStyle = "#555";
        context.fillRect(x - Math.max(1, step * 0.35), y(rep.fairShare) - 0.5, Math.max(2, step * 0.7), 1.5);
      }
      const out = range !== null && (rep.value < range[0] - 1e-6 || rep.value > range[1] + 1e-6);
      context.fillStyle = out ? "#b3261e" : "#1d5fa8";
      context.beginPath();
      context.arc(x, y(rep.value), Math.max(1.5, Math.min(4, step * 0.3)), 0, Math.PI * 2);
      context.fill();
    });
  }, [reps, band]);

  return (
    <figure>
      <canvas
        ref={canvas}
        width={720}
        height={200}
        role="img"
        aria-label={`Each rep's value against its band: ${reps.length} reps, ${band === undefined ? "no value band set" : `band ±${Math.round(band * 100)}% of fair share, ${outside} outside it`}.`}
      />
      <figcaption>
        Value per rep (dots) against the fairness band (grey) and fair share (tick), reps in plan order.
        {band === undefined ? " No value band is set." : ` ${outside} of ${reps.length} reps outside the band.`}
      </figcaption>
    </figure>
  );
}
