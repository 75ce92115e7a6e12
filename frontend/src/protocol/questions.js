/** What a ballot encrypts for a question (section 5.1). */

export class QuestionRule {
  /**
   * @param {number} options m, the number of options
   * @param {number} min the fewest options a voter may choose (or rank)
   * @param {number} max the most options a voter may choose; for a ranked question R, the ranks
   * @param {boolean} [ranked] a ranked question (5.2): an m × R matrix of 0/1 cells, cell j·R + i
   */
  constructor(options, min, max, ranked = false) {
    if (!(Number.isInteger(options) && Number.isInteger(min) && Number.isInteger(max))) {
      throw new RangeError('question bounds must be integers');
    }
    if (!(options >= 2 && min >= 0 && min <= max && max <= options && max >= 1 && (!ranked || min <= 1))) {
      throw new RangeError(`invalid question rule: ${options} options, min ${min}, max ${max}`);
    }
    this.options = options;
    this.min = min;
    this.max = max;
    this.ranked = ranked === true;
    Object.freeze(this);
  }

  /** Read the rule from a manifest question `{"kind", "options": [...], "min", "max"}`. */
  static fromQuestion(question) {
    return new QuestionRule(question.options.length, question.min, question.max, question.kind === 'ranked');
  }

  /** True when min = max: the last option is implied by the others (never for a ranked question). */
  get implicitLast() {
    return this.min === this.max && !this.ranked;
  }

  /** e, the number of ciphertexts the ballot holds for the question: m·R cells if ranked. */
  get encryptedCount() {
    if (this.ranked) return this.options * this.max;
    return this.implicitLast ? this.options - 1 : this.options;
  }

  /** The question's ciphertexts in the homomorphic tally (9.1): none for a ranked question. */
  get tallyWidth() {
    return this.ranked ? 0 : this.encryptedCount;
  }

  /** How many 0/1 values a full selection holds: m, or the m·R cells. */
  get selectionLength() {
    return this.ranked ? this.encryptedCount : this.options;
  }

  /** [lo, hi], the range the encrypted sum must lie in. */
  get sumRange() {
    if (this.implicitLast) {
      const k = this.max;
      return [Math.max(k - 1, 0), Math.min(k, this.options - 1)];
    }
    return [this.min, this.max];
  }

  /** Whether the ballot carries a sum proof: iff [lo, hi] is not all of [0, e]. */
  get needsSumProof() {
    if (this.ranked) return false;
    const [lo, hi] = this.sumRange;
    return !(lo === 0 && hi === this.encryptedCount);
  }

  /** The value set of the sum proof: lo, lo+1, ..., hi. */
  get sumValues() {
    const [lo, hi] = this.sumRange;
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
}
