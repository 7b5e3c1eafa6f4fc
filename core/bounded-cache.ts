/**
 * Answers of a pure computation by key, at most `max` of them: when full it forgets them all at once. Cheap to
 * keep, and a forgotten answer only costs computing it again; for hot paths that work the same thing out each time.
 */
export class BoundedCache<V> {
  private readonly known = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, compute: () => V): V {
    if (this.known.has(key)) return this.known.get(key) as V;
    const value = compute();
    if (this.known.size >= this.max) this.known.clear();
    this.known.set(key, value);
    return value;
  }
}
