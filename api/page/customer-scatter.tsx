/**
 * Customers drawn at their coordinates (longitude, latitude; no map tiles), coloured by their rep;
 * reps are squares at their own locations. A canvas, so 20,000 points draw in a few milliseconds.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Plan, Solution } from "./contract.ts";
import { repColourMap } from "./rep-colours.ts";

export function CustomerScatter(props: { plan: Plan; solution: Solution }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const located = props.plan.customers.filter((c) => c.location !== undefined).length;

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext("2d");
    if (element === null || context === null || context === undefined) return;
    const colours = repColourMap(props.plan.reps.map((r) => r.id));
    const repOf = new Map(props.solution.assignments.map((a) => [a.customer, a.rep]));
    let minLon = Infinity;
    let maxLon = -Infinity;
    let minLat = Infinity;
    let maxLat = -Infinity;
    for (const item of [...props.plan.customers, ...props.plan.reps]) {
      if (item.location === undefined) continue;
      minLon = Math.min(minLon, item.location.lon);
      maxLon = Math.max(maxLon, item.location.lon);
      minLat = Math.min(minLat, item.location.lat);
      maxLat = Math.max(maxLat, item.location.lat);
    }
    const { width, height } = element;
    context.clearRect(0, 0, width, height);
    if (!Number.isFinite(minLon)) return;
    const pad = 10;
    const sx = (width - 2 * pad) / Math.max(1e-9, maxLon - minLon);
    const sy = (height - 2 * pad) / Math.max(1e-9, maxLat - minLat);
    const x = (lon: number) => pad + (lon - minLon) * sx;
    const y = (lat: number) => height - pad - (lat - minLat) * sy;
    for (const customer of props.plan.customers) {
      if (customer.location === undefined) continue;
      const rep = repOf.get(customer.id);
      context.fillStyle = rep === undefined ? "#999" : (colours.get(rep) ?? "#999");
      context.fillRect(x(customer.location.lon) - 1.5, y(customer.location.lat) - 1.5, 3, 3);
    }
    context.strokeStyle = "#000";
    for (const rep of props.plan.reps) {
      if (rep.location === undefined) continue;
      context.fillStyle = colours.get(rep.id) ?? "#000";
      context.fillRect(x(rep.location.lon) - 5, y(rep.location.lat) - 5, 10, 10);
      context.strokeRect(x(rep.location.lon) - 5, y(rep.location.lat) - 5, 10, 10);
    }
  }, [props.plan, props.solution]);

  return (
    <figure>
      <canvas
        ref={canvas}
        width={720}
        height={420}
        role="img"
        aria-label={`Scatter of ${located} customers at their coordinates, coloured by rep; reps as squares.`}
      />
      <figcaption>
        Customers by longitude and latitude, coloured by their rep (squares: the reps). {props.plan.customers.length - located} customers have no location.
      </figcaption>
    </figure>
  );
}
