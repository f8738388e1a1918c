/**
 * One string per distinct value, for the few fields of freshly parsed records that the report
 * keeps for a while (fingerprint, phase, video). Each parsed record brings its own copy of
 * each; held by the pattern replay's windows and the groups, those copies outlived
 * young-generation collections by the million and filled the old generation with garbage.
 */
export class StringInterner {
  private readonly known = new Map<string, string>();

  /** `cap`: distinct values remembered; later ones are handed back as they came. */
  constructor(private readonly cap: number) {}

  intern(value: string): string {
    const known = this.known.get(value);
    if (known !== undefined) return known;
    if (this.known.size < this.cap) this.known.set(value, value);
    return value;
  }
}
