/** What a ballot encrypts for a question (section 5.1). */

export class QuestionRule {
  /**
   * @param {number} options m, the number of options
   * @param {number} min the fewest options a voter may choose
   * @param {number} max the most options a voter may choose
   */
  constructor(options, min, max) {
    if (!(Number.isInteger(options) && Number.isInteger(min) && Number.isInteger(max))) {
      throw new RangeError('question bounds must be integers');
    }
    if (!(options >= 2 && min >= 0 && min <= max && max <= options && max >= 1)) {
      throw new RangeError(`invalid question rule: ${options} options, min ${min}, max ${max}`);
    }
    this.options = options;
    this.min = min;
    this.max = max;
    Object.freeze(this);
  }

  /** Read the rule from a manifest question `{"options": [...], "min", "max"}`. */
  static fromQuestion(question) {
    return new QuestionRule(question.options.length, question.min, question.max);
  }

  /** True when min = max: the last option is implied by the others. */
  get implicitLast() {
    return this.min === this.max;
  }

  /** e, the number of encrypted options. */
  get encryptedCount() {
    return this.implicitLast ? this.options - 1 : this.options;
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
    const [lo, hi] = this.sumRange;
    return !(lo === 0 && hi === this.encryptedCount);
  }

  /** The value set of the sum proof: lo, lo+1, ..., hi. */
  get sumValues() {
    const [lo, hi] = this.sumRange;
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
}
