/** Half-open time intervals [start, end) in epoch milliseconds; lists are sorted and disjoint. */
export interface Interval {
  start: number;
  end: number;
}

/** Sorts and merges touching or overlapping intervals. */
export function normalize(list: Interval[]): Interval[] {
  const sorted = list.filter((i) => i.start < i.end).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

export function union(a: Interval[], b: Interval[]): Interval[] {
  return normalize([...a, ...b]);
}

/** a minus b; both normalized. */
export function subtract(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const i of a) {
    let cur = i.start;
    while (j < b.length && b[j].end <= cur) j++;
    let k = j;
    while (k < b.length && b[k].start < i.end) {
      if (b[k].start > cur) out.push({ start: cur, end: b[k].start });
      cur = Math.max(cur, b[k].end);
      k++;
    }
    if (cur < i.end) out.push({ start: cur, end: i.end });
  }
  return out;
}

/** Index of the first interval whose end is after t (binary search). */
function firstEndingAfter(list: Interval[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether [start, end) lies inside one interval of a normalized list. */
export function covers(list: Interval[], start: number, end: number): boolean {
  const i = list[firstEndingAfter(list, start)];
  return i !== undefined && i.start <= start && i.end >= end;
}

/** Whether [start, end) overlaps any interval of a normalized list. */
export function overlapsAny(list: Interval[], start: number, end: number): boolean {
  const i = list[firstEndingAfter(list, start)];
  return i !== undefined && i.start < end;
}
