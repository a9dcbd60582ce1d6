// The lane scheduler: a bounded number of lanes take units of work off one
// queue, each lane one unit at a time, until the queue is empty or the eval
// must stop starting work (its history is long). A lane that stops puts the
// unit it took back, so what is returned is exactly the work not started.

/** `items` cut into units of `size`, in order. */
export function unitsOf<T>(items: readonly T[], size: number): T[][] {
  const units: T[][] = [];
  for (let start = 0; start < items.length; start += size) units.push(items.slice(start, start + size));
  return units;
}

export interface Lanes<T> {
  /** How many units may be in flight at once. */
  lanes: number;
  /** Asked before each unit: true stops the lane, the unit left queued. */
  stopBefore: () => boolean;
  run: (unit: T) => Promise<void>;
}

/** Runs `units` in lanes; resolves once every lane has stopped, with the units no lane started. */
export async function runInLanes<T>(units: readonly T[], { lanes, stopBefore, run }: Lanes<T>): Promise<T[]> {
  const queued = [...units];
  const lane = async (): Promise<void> => {
    for (let unit = queued.shift(); unit !== undefined; unit = queued.shift()) {
      if (stopBefore()) {
        queued.unshift(unit);
        return;
      }
      await run(unit);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, queued.length)) }, lane));
  return queued;
}
