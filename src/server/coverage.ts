/**
 * Which bytes of an image a device has been sent, as sorted disjoint half-open intervals.
 * Progress counts distinct bytes, so a device that re-reads a range after resuming is not
 * counted twice.
 */
export class Coverage {
  private intervals: [number, number][] = [];

  add(start: number, end: number): void {
    if (end <= start) return;
    const merged: [number, number][] = [];
    let s = start;
    let e = end;
    for (const [a, b] of this.intervals) {
      if (b < s || a > e) merged.push([a, b]);
      else {
        s = Math.min(s, a);
        e = Math.max(e, b);
      }
    }
    merged.push([s, e]);
    merged.sort((x, y) => x[0] - y[0]);
    this.intervals = merged;
  }

  get covered(): number {
    return this.intervals.reduce((n, [a, b]) => n + b - a, 0);
  }
}
